using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// How often the images of one <see cref="DuplicatePopulation"/> are duplicated in the training store: per image (one entry per
/// generation, as the paper's populations are one image per generation), the number of other store images scoring above the
/// duplicate threshold; their mean and median; how many counts are lower bounds (the per-shard cap was reached).
/// </summary>
public sealed record DuplicateSummary(DuplicatePopulation Population, long[] Counts, int LowerBounds)
{
    public int Images => Counts.Length;
    public double Mean => Counts.Length == 0 ? double.NaN : Counts.Average();
    public double Median => Counts.Length == 0 ? double.NaN : ReplicationStatistics.Percentile(Counts.Select(c => (double)c).Order().ToArray(), 50);

    /// <summary>The three populations of a study's rows: one entry per scored generation from a training caption (with its source
    /// in the store, for sources; a source drawn twice counts twice, as prompts are drawn with replacement).</summary>
    public static IReadOnlyList<DuplicateSummary> FromRows(IReadOnlyList<GenerationRow> rows, double threshold)
    {
        var scored = rows.Where(r => r.Scored && r.FromTrainingCaption).ToList();
        var withSource = scored.Where(r => r.SourceRow >= 0).ToList();
        var above = scored.Where(r => r.Top1 > threshold).ToList();
        return
        [
            new(DuplicatePopulation.Sources, withSource.Select(r => r.SourceDuplicates).ToArray(), withSource.Count(r => r.SourceDuplicatesAtLeast)),
            new(DuplicatePopulation.Matches, scored.Select(r => r.MatchDuplicates).ToArray(), scored.Count(r => r.MatchDuplicatesAtLeast)),
            new(DuplicatePopulation.MatchesAboveThreshold, above.Select(r => r.MatchDuplicates).ToArray(), above.Count(r => r.MatchDuplicatesAtLeast)),
        ];
    }

    public static string Label(DuplicatePopulation p) => p switch
    {
        DuplicatePopulation.Sources => "caption source images (random training images, one per generation)",
        DuplicatePopulation.Matches => "match images (top-1 of each generation)",
        _ => "match images above the threshold",
    };
}
