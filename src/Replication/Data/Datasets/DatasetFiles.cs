using System.Globalization;

namespace Replication.Data.Datasets;

/// <summary>Small file checks shared by the training-set loaders (Celeb-A, CelebA-HQ, Flowers-102).</summary>
internal static class DatasetFiles
{
    /// <summary>The first of the candidate paths that exists as a file, or null.</summary>
    public static string? FirstFile(params string[] candidates) => candidates.FirstOrDefault(File.Exists);

    /// <summary>The first of the candidate paths that exists as a folder, or null.</summary>
    public static string? FirstFolder(params string[] candidates) => candidates.FirstOrDefault(Directory.Exists);

    /// <summary>One error naming the first missing file (and how many are missing) when any listed file is absent.</summary>
    public static void RequireAll(IReadOnlyList<string> paths, string listedIn)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count == 0) return;
        string more = missing.Count == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({missing.Count} of the {paths.Count} listed files are missing)");
        throw new FileNotFoundException($"{missing[0]}: listed in {listedIn} but missing{more}", missing[0]);
    }

    /// <summary>The non-blank lines of a "&lt;name&gt; &lt;value&gt;" text file with their line numbers; a malformed line is an error naming the file.</summary>
    public static IEnumerable<(int Line, string Name, string Value)> Pairs(string path)
    {
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2) throw new InvalidDataException($"{path}: line {line}: expected '<file name> <value>', found '{text.Trim()}'");
            yield return (line, parts[0], parts[1]);
        }
    }

    public static string Relative(string folder, string path) => Path.GetRelativePath(folder, path).Replace('\\', '/');
}
