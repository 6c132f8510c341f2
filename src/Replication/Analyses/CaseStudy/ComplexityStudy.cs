using Replication.Embeddings.Store;
using Replication.Images;
using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// The official complexity analysis (DCR <c>diff_retrieval.py</c>, after the search): for every scored generation, its top-1
/// training match is measured (<see cref="ImageComplexity"/>: grey-level entropy, JPEG q90 size, total variation, and entropy ×
/// √size) and each measure is correlated with the top-1 scores (Pearson r, scipy's p). Simple images (clip art, logos, text)
/// score high against many things; a strong negative r says the high scores owe something to simplicity. Match images are read
/// back from the store's shards and decoded as the official code does (<c>convert("RGB")</c>: transparency dropped); one that
/// cannot be read is listed and left out.
/// </summary>
public static class ComplexityStudy
{
    public static readonly IReadOnlyList<string> Measures = ["entropy", "JPEG q90 KiB", "total variation", "entropy × √JPEG KiB"];

    public static ComplexityResult Run(CaseStudyResult study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var scored = study.Scored.Where(g => g.MatchRow >= 0 && float.IsFinite(g.Top1)).ToList();
        var problems = new List<string>();
        var rows = new List<ComplexityRow>(scored.Count);
        if (!Directory.Exists(study.Store))
            return new ComplexityResult(rows, [], [$"{study.Store}: the store is not here; its images cannot be read back"]);
        using var store = EmbeddingStore.Open(study.Store);
        var measured = new Dictionary<long, ImageComplexity?>();
        foreach (var chunk in scored.Select(g => g.MatchRow).Distinct().Chunk(256))
        {
            var images = StoreImages.Fetch(store, chunk);
            foreach (long row in chunk)
            {
                if (!images.TryGetValue(row, out var bytes)) { problems.Add($"store row {row}: image not found in its shard"); measured[row] = null; continue; }
                try { measured[row] = ImageComplexity.Measure(ImageDecoder.Decode(bytes, $"store row {row}", alpha: AlphaHandling.Drop)); }
                catch (Exception e) when (ImageFault.IsPerFile(e)) { problems.Add($"store row {row}: {e.Message}"); measured[row] = null; }
            }
        }
        foreach (var g in scored)
            if (measured[g.MatchRow] is { } c) rows.Add(new ComplexityRow(g.Index, g.MatchRow, g.Top1, c));
        var top1 = rows.Select(r => (double)r.Top1).ToArray();
        var columns = new Func<ImageComplexity, double>[] { c => c.Entropy, c => c.JpegKiB, c => c.TotalVariation, c => c.Mixed };
        var correlations = Measures.Select((name, i) =>
        {
            var x = rows.Select(r => columns[i](r.Complexity)).ToArray();
            double r = Correlation.Pearson(x, top1);
            return new ComplexityCorrelation(name, r, Correlation.ParametricP(r, rows.Count), rows.Count);
        }).ToList();
        return new ComplexityResult(rows, correlations, problems);
    }
}
