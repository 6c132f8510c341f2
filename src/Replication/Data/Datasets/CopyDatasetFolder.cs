using Replication.Images;
using Replication.Search.Retrieval;

namespace Replication.Data.Datasets;

/// <summary>Opens a dataset folder in this project's layout: <c>gallery/</c>, <c>queries/</c>, <c>gt.json</c>.</summary>
public static class CopyDatasetFolder
{
    public static CopyDataset Open(string folder, string? name = null)
    {
        if (!Directory.Exists(folder))
            throw new InputMissingException($"{folder}: dataset folder not found", folder);
        var gallery = ImageCollection.FromFolder(Path.Combine(folder, "gallery"));
        var queries = ImageCollection.FromFolder(Path.Combine(folder, "queries"));
        var gtPath = Path.Combine(folder, "gt.json");
        var truth = GroundTruthFile.Read(gtPath);
        Validate(gtPath, truth, queries.Count, gallery.Count);
        return new CopyDataset(name ?? Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)), queries, gallery, truth);
    }

    /// <summary>Every query index and gallery row in the ground truth must exist.</summary>
    public static void Validate(string where, IReadOnlyList<QueryGroundTruth> truth, int queries, int gallery)
    {
        foreach (var t in truth)
        {
            if (t.Query < 0 || t.Query >= queries)
                throw new InputDataException($"{where}: query {t.Query} does not exist ({queries} queries)");
            foreach (var g in t.Ok.Concat(t.Junk))
                if (g < 0 || g >= gallery)
                    throw new InputDataException($"{where}: query {t.Query} names gallery row {g}, but the gallery has {gallery} images");
        }
    }
}
