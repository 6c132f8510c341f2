using Replication.Core.Compute;
using Replication.Reporting.Metrics;
using Replication.Embeddings;
using Replication.Search;
using Replication.Search.Store;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// How <see cref="CaseStudyRun"/> studies generations against a web-scale training store (the paper's Section 7).
/// </summary>
/// <param name="Similarity">The score: SSCD cosine (<c>ip</c>) in the paper.</param>
/// <param name="Threshold">A generation replicates when its top-1 score is strictly above this (the official code compares
/// <c>&gt; 0.5</c>); also the line between "matched images" and "matches above the threshold" for duplicates.</param>
/// <param name="DuplicateThreshold">Two training images are duplicates when they score strictly above this (0.95, SSCD, in the paper).</param>
/// <param name="K">Matches kept per generation (at least 2: the best match other than the generation's own source comes from them).</param>
/// <param name="CountCap">Candidates per query and gallery shard looked at for duplicate counts; counts that reach it are lower bounds, flagged.</param>
public sealed record CaseStudySettings(Similarity Similarity, double Threshold = ThresholdPolicy.PaperValue,
    double DuplicateThreshold = CaseStudySettings.DefaultDuplicateThreshold, int K = 5, int CountCap = StoreSearchSettings.DefaultCountCap,
    int BootstrapSamples = Proportion.DefaultSamples, ulong Seed = 0, ComputeDevice Device = ComputeDevice.Cpu,
    long MemoryBudgetBytes = SearchMemory.DefaultBudgetBytes)
{
    public const double DefaultDuplicateThreshold = 0.95;

    /// <summary>Checks every setting, naming the bad one (<see cref="ParameterException"/>).</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Similarity);
        Similarity.ValidateThreshold(Threshold);
        if (!double.IsFinite(DuplicateThreshold) || DuplicateThreshold < Similarity.Range.Min || DuplicateThreshold > Similarity.Range.Max)
            throw new ParameterException(nameof(DuplicateThreshold), DuplicateThreshold, $"outside the range [{Similarity.Range.Min}, {Similarity.Range.Max}] of {Similarity} scores");
        if (K < 2) throw new ParameterException(nameof(K), K, "the case study keeps at least 2 matches per generation (the best one other than its own source)");
        if (CountCap < 1) throw new ParameterException(nameof(CountCap), CountCap, "must be at least 1");
        if (BootstrapSamples < 1) throw new ParameterException(nameof(BootstrapSamples), BootstrapSamples, "must be at least 1");
    }
}
