using System.Globalization;
using Replication.Core.Formats;

namespace Replication.Data.Generations;

/// <summary>
/// Reads the manifest of images made by any generator (diffusers, a GUI, an API): columns <c>path,prompt,source_key,seed</c>
/// (others are ignored). Paths are resolved relative to the manifest's folder; every error names the manifest and the data
/// row (1 = the first line after the header). An empty seed is allowed (a generator that does not report one).
/// </summary>
public static class GeneratedManifest
{
    public static readonly IReadOnlyList<string> Columns = ["path", "prompt", "source_key", "seed"];

    /// <param name="requireFiles">Refuse (an <see cref="InputMissingException"/> naming the row) an image file that does not exist.</param>
    public static IReadOnlyList<GeneratedImage> Read(string path, bool requireFiles = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var table = CsvTable.Read(path);
        var missing = Columns.Where(c => !table.HasColumn(c)).ToList();
        if (missing.Count > 0)
            throw new InputDataException($"{path}: column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} missing (a generated-images manifest has {string.Join(",", Columns)}; found {string.Join(",", table.Header)})");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var images = new List<GeneratedImage>(table.Rows.Count);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string where = $"{path}, row {r + 1}";
            string file = table.Cell(r, "path")!.Trim();
            if (file.Length == 0) throw new InputDataException($"{where}: empty path");
            string prompt = table.Cell(r, "prompt")!;
            if (prompt.Trim().Length == 0) throw new InputDataException($"{where}: empty prompt");
            string key = table.Cell(r, "source_key")!.Trim();
            if (key.Length == 0) throw new InputDataException($"{where}: empty source_key (the training sample whose caption is the prompt; {GeneratedImage.NoSource} for a prompt not drawn from the training set)");
            string seedText = table.Cell(r, "seed")!.Trim();
            long? seed = null;
            if (seedText.Length > 0)
                seed = long.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s)
                    ? s
                    : throw new InputDataException($"{where}: seed '{seedText}' is not a whole number");
            string full = Path.GetFullPath(Path.Combine(folder, file));
            if (requireFiles && !File.Exists(full))
                throw new InputMissingException($"{where}: image {file} not found ({full})", full);
            images.Add(new GeneratedImage(full, prompt, key, seed));
        }
        if (images.Count == 0) throw new InputDataException($"{path}: no generated images listed");
        return images;
    }
}
