using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// INSTRE in its published folder layout (<c>INSTRE-S1/&lt;object&gt;/</c>, <c>INSTRE-S2/&lt;object&gt;/</c>,
/// <c>INSTRE-M/&lt;pair&gt;/</c>). Protocol here: every image queries all the others, positives are the images of
/// its object folder, the query itself is junk. (The 1,250-query protocol with boxes of Iscen et al. is not implemented.)
/// </summary>
public static class Instre
{
    public static readonly string[] Subsets = ["INSTRE-S1", "INSTRE-S2", "INSTRE-M"];

    public static CopyDataset Load(string root)
    {
        var present = Subsets.Where(s => Directory.Exists(Path.Combine(root, s))).ToList();
        if (present.Count == 0)
            throw new InputMissingException($"{root}: none of {string.Join(", ", Subsets)} found", root);
        var items = new List<(ImageRecord, string)>();
        foreach (var subset in present)
            foreach (var cls in Directory.GetDirectories(Path.Combine(root, subset)).Order(StringComparer.Ordinal))
                foreach (var file in Directory.GetFiles(cls).Where(f => ImageCollection.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal))
                {
                    string rel = Path.GetRelativePath(root, file).Replace('\\', '/');
                    items.Add((new ImageRecord(rel, file, rel), $"{subset}/{Path.GetFileName(cls)}"));
                }
        return ClassRetrieval.Build("instre", items, queryCountsItself: false);
    }
}
