using Replication.Reporting.Metrics;
using Replication.Embeddings;

namespace Replication.Analyses.CaseStudy;

/// <summary>What <see cref="DuplicationStudy"/> runs: generations drawn from a denoiser trained on a set with known duplicates.</summary>
public sealed record DuplicationStudyOptions
{
    /// <summary>The unconditional denoiser card, trained on <see cref="Training"/>.</summary>
    public required string Denoiser { get; init; }

    /// <summary>The duplicated training manifest (<c>duplicate</c> writes it, with <c>NAME-copies.csv</c> beside it).</summary>
    public required string Training { get; init; }

    /// <summary>The base set, each image once (the duplicated set's recipe names it): the threshold is calibrated on it.</summary>
    public required string Base { get; init; }
    public required string WorkFolder { get; init; }
    public string Model { get; init; } = BuiltinModels.CopyDetectorName;
    public int Generations { get; init; } = 512;
    public int Steps { get; init; } = 50;
    public ulong Seed { get; init; }
    public int SampleBatch { get; init; } = 32;
    public int Batch { get; init; } = 64;
    public int SamplesPerShard { get; init; } = 1000;
    public ThresholdPolicy Threshold { get; init; } = ThresholdPolicy.Parse("auto");
    public double DuplicateThreshold { get; init; } = CaseStudySettings.DefaultDuplicateThreshold;
    public int BootstrapSamples { get; init; } = Proportion.DefaultSamples;
}
