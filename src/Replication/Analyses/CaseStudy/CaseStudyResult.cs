using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// The persisted result of a case study (<see cref="CaseStudyRun"/>): one row per generation of the manifest (in its order),
/// the replication rate with its bootstrap interval, duplicate counts for the three populations, and what could not be scored.
/// <see cref="CaseStudyFiles.Load"/> reads it back from the output folder; reports and notebooks read only that.
/// </summary>
public sealed record CaseStudyResult(
    string Store, string Model, long StoreRows, int StoreShards, string Similarity, double Threshold, double DuplicateThreshold,
    IReadOnlyList<GenerationRow> Rows, Proportion AboveThreshold, IReadOnlyList<DuplicateSummary> Duplicates, IReadOnlyList<string> Problems)
{
    public IEnumerable<GenerationRow> Scored => Rows.Where(r => r.Scored);

    /// <summary>The scored generations from training captions: the population of the rate, Figure 11 and the duplicate counts.</summary>
    public IEnumerable<GenerationRow> Sampled => Scored.Where(r => r.FromTrainingCaption);

    /// <summary>Generations whose best match is their own caption's source image (the paper found none).</summary>
    public int MatchedOwnSource => Sampled.Count(r => r.MatchIsSource);

    public DuplicateSummary DuplicatesOf(DuplicatePopulation p) => Duplicates.First(d => d.Population == p);
}
