using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Replication.Core;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// A training set in which chosen images appear several times, as web-scale training sets hold duplicates: exact copies, i.e.
/// the same file listed again. Writes the training manifest (<c>path,id,label,caption</c>: a duplicated image's row repeated,
/// with ids <c>ID</c>, <c>ID#2</c>, … so that every row is its own training image, and the caption is the base image's id, so
/// that a store built from the manifest names the image each row copies), and beside it <c>NAME-copies.csv</c> (<c>id,copies</c>
/// for every base image: the ground truth of the study) and <c>NAME.json</c> (the recipe) last.
/// </summary>
public static class DuplicatedTrainingSet
{
    public const string CopiesSuffix = "-copies.csv";

    /// <summary>Reads a <c>id,copies</c> CSV into an explicit plan list; rows are checked by <see cref="DuplicationPlan.Validate"/>.</summary>
    public static IReadOnlyList<(string Id, int Copies)> ReadSpec(string path)
    {
        var table = CsvTable.Read(path);
        foreach (var column in new[] { "id", "copies" })
            if (!table.HasColumn(column)) throw new InputDataException($"{path}: needs columns id and copies (found: {string.Join(", ", table.Header)})");
        var list = new List<(string, int)>(table.Rows.Count);
        for (int i = 0; i < table.Rows.Count; i++)
        {
            string id = table.Cell(i, "id")?.Trim() ?? "";
            string text = table.Cell(i, "copies")?.Trim() ?? "";
            if (id.Length == 0) throw new InputDataException($"{path}: row {i + 2} has an empty id");
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int copies) || copies < 1)
                throw new InputDataException($"{path}: row {i + 2}: copies must be a whole number ≥ 1, not '{text}'");
            list.Add((id, copies));
        }
        return list;
    }

    /// <summary>The copies of every base image under <paramref name="plan"/> (1 for those not chosen), in the base's order.</summary>
    public static IReadOnlyList<(ImageRecord Image, int Copies)> Copies(IReadOnlyList<ImageRecord> images, DuplicationPlan plan, string baseManifest = "the base set")
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(plan);
        plan.Validate();
        var usable = images.Where(r => r.Refused is null).ToList();
        var copies = new int[usable.Count];
        Array.Fill(copies, 1);
        if (plan.Explicit is { } list)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < usable.Count; i++) index[usable[i].Id] = i;
            foreach (var (id, n) in list)
                copies[index.TryGetValue(id, out int i) ? i : throw new ParameterException(nameof(plan.Explicit), id, $"is not an image of {baseManifest}")] = n;
        }
        else
        {
            int needed = plan.Levels.Count * plan.PerLevel;
            if (needed > usable.Count)
                throw new ParameterException(nameof(plan.PerLevel), plan.PerLevel, $"{plan.Levels.Count} levels × {plan.PerLevel} images need {needed} images; {baseManifest} has {usable.Count}");
            var order = SeededPermutation.Create(usable.Count, plan.Seed);
            for (int l = 0; l < plan.Levels.Count; l++)
                for (int j = 0; j < plan.PerLevel; j++)
                    copies[order[l * plan.PerLevel + j]] = plan.Levels[l];
        }
        return usable.Select((r, i) => (r, copies[i])).ToList();
    }

    /// <summary>Writes the duplicated manifest at <paramref name="outManifest"/> (paths relative to its folder) with its copies table and recipe.</summary>
    public static (string Manifest, string CopiesTable, int Rows) Write(string baseManifest, DuplicationPlan plan, string outManifest)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseManifest);
        ArgumentException.ThrowIfNullOrEmpty(outManifest);
        var images = ImageCollection.Open(baseManifest);
        var copies = Copies(images, plan, baseManifest);
        string folder = Path.GetDirectoryName(Path.GetFullPath(outManifest))!;
        Directory.CreateDirectory(folder);
        string stem = Path.Combine(folder, Path.GetFileNameWithoutExtension(outManifest));
        string recipe = stem + ".json";
        if (File.Exists(recipe)) File.Delete(recipe); // written last: present only beside a complete set
        var rows = new StringBuilder("path,id,label,caption\n");
        var table = new StringBuilder("id,copies\n");
        int count = 0;
        foreach (var (image, n) in copies)
        {
            string rel = Path.GetRelativePath(folder, image.Path).Replace('\\', '/');
            for (int k = 1; k <= n; k++, count++)
                rows.Append(CsvTable.Line(rel, k == 1 ? image.Id : FormattableString.Invariant($"{image.Id}#{k}"), image.Label, image.Id)).Append('\n');
            table.Append(CsvTable.Line(image.Id, n)).Append('\n');
        }
        AtomicFile.WriteAllText(outManifest, rows.ToString());
        string copiesPath = stem + CopiesSuffix;
        AtomicFile.WriteAllText(copiesPath, table.ToString());
        var levels = copies.GroupBy(c => c.Copies).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => (JsonNode)g.Count());
        AtomicFile.WriteAllText(recipe, new JsonObject
        {
            ["base"] = Path.GetRelativePath(folder, Path.GetFullPath(baseManifest)).Replace('\\', '/'),
            ["base_sha256"] = Replication.Embeddings.EmbeddingFiles.Sha256Of(baseManifest),
            ["levels"] = plan.Explicit is null ? new JsonArray(plan.Levels.Select(l => (JsonNode)l).ToArray()) : null,
            ["per_level"] = plan.Explicit is null ? plan.PerLevel : null, ["seed"] = plan.Seed, ["explicit"] = plan.Explicit is not null,
            ["images_by_copies"] = new JsonObject(levels!), ["rows"] = count,
            ["duplicates"] = "exact: the same file listed again (ids ID#2, ID#3, …; caption = the base image's id)",
            ["selection"] = "Fisher-Yates driven by SplitMix64 (SeededPermutation) over the base set's readable images in ordinal path order; the first per_level get the first level, and so on",
        }.ToJsonString(Replication.Embeddings.ModelCard.Json));
        return (outManifest, copiesPath, count);
    }

    /// <summary>Reads a copies table (<c>id,copies</c>) into a map.</summary>
    public static IReadOnlyDictionary<string, int> ReadCopies(string path) =>
        ReadSpec(path).ToDictionary(e => e.Id, e => e.Copies, StringComparer.Ordinal);
}
