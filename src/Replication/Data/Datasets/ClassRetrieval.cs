using Replication.Images;
using Replication.Search.Retrieval;

namespace Replication.Data.Datasets;

/// <summary>
/// The "every image queries all the others" protocol of class-labelled retrieval sets: positives are the other images
/// of the query's class; the query itself is junk (removed from its own ranking) unless the dataset's protocol counts it.
/// </summary>
internal static class ClassRetrieval
{
    public static CopyDataset Build(string name, IReadOnlyList<(ImageRecord Image, string Label)> items, bool queryCountsItself)
    {
        if (items.Count == 0) throw new InputDataException($"{name}: no images");
        var byLabel = items.Select((x, i) => (x.Label, i)).GroupBy(x => x.Label).ToDictionary(g => g.Key, g => g.Select(x => (long)x.i).ToArray());
        var truth = items.Select((x, i) => new QueryGroundTruth(i,
            byLabel[x.Label].Where(j => queryCountsItself || j != i).ToArray(),
            queryCountsItself ? [] : [i])).ToList();
        var images = items.Select(x => x.Image with { Label = x.Label }).ToList();
        return new CopyDataset(name, images, images, truth);
    }
}
