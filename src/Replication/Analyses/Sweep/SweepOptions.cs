using Replication.Core.Compute;
using Replication.Images;
using Replication.Reporting.Metrics;

namespace Replication.Analyses.Sweep;

public sealed record SweepOptions
{
    public required IReadOnlyList<SweepCase> Cases { get; init; }

    /// <summary>Feature extractors: built-in names or model cards; each is analysed with its card's similarity.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Embeddings (reused on a rerun) and one scan report per (model, case) go here.</summary>
    public required string WorkFolder { get; init; }

    /// <summary>One threshold for every case of a model; auto: the 1% point of the largest training set's self-similarity,
    /// calibrated by the scan (or the scan's automatic choice when that set is too small to calibrate).</summary>
    public ThresholdPolicy Threshold { get; init; } = ThresholdPolicy.Auto;

    /// <summary>Real images of the domain held out of every training set (a folder or manifest, at the models' resolution):
    /// generations are measured against them (KID, Fréchet distance, top-1 against the training set); null: no quality measures.</summary>
    public string? Reference { get; init; }

    public int KidSubsets { get; init; } = KernelDistance.DefaultSubsets;
    public int KidSubsetSize { get; init; } = KernelDistance.DefaultSubsetSize;

    /// <summary>Resamples of the bootstrap interval on each fraction of copies.</summary>
    public int BootstrapSamples { get; init; } = Proportion.DefaultSamples;

    public int TopK { get; init; } = 5;
    public int GalleryRows { get; init; } = 20;
    public int BatchSize { get; init; } = 16;
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
    public AlphaHandling Alpha { get; init; } = AlphaHandling.White;
}
