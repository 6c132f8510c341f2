using Replication.Reporting.Metrics;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Analyses.Scanning;

/// <summary>The settings of a replication scan.</summary>
public sealed record ScanOptions
{
    public required string Generated { get; init; }
    public required string Training { get; init; }
    public required string OutputFolder { get; init; }
    /// <summary>A model card or a built-in name; by default the toolkit's copy detector, whose card carries a threshold calibrated on unrelated pairs.</summary>
    public string Model { get; init; } = BuiltinModels.CopyDetectorName;
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
    /// <summary>How embeddings are compared; null takes the model card's own (cosine for vectors, split-product over tokens, tiled ℓ2 for pixel tiles).</summary>
    public Similarity? Similarity { get; init; }
    public int TopK { get; init; } = 5;
    /// <summary>The replica threshold (<see cref="ThresholdPolicy"/>); auto chooses one (<see cref="ThresholdChoice"/>): the model
    /// card's threshold calibrated on unrelated pairs (when scores are on the card's scale: its similarity, no whitening), else
    /// the training-calibrated 1% point where estimable, else the paper's 0.5 on metrics where an exact copy scores 1.</summary>
    public ThresholdPolicy Threshold { get; init; } = ThresholdPolicy.Auto;
    /// <summary>Centring or whitening fitted on the training embeddings and applied to both sides (beyond the paper).</summary>
    public WhiteningMode Whitening { get; init; } = WhiteningMode.None;
    public long SearchMemoryBytes { get; init; } = SearchMemory.DefaultBudgetBytes;
    /// <summary>Transparency composited onto white (default) or dropped as the official pipelines do (a named variant there).</summary>
    public Replication.Images.AlphaHandling Alpha { get; init; } = Replication.Images.AlphaHandling.White;
    /// <summary>Decode truncated images with what they hold, as Pillow with LOAD_TRUNCATED_IMAGES (the official LAION search code), instead of
    /// skipping them as Pillow does by default (a named variant).</summary>
    public bool AcceptTruncated { get; init; }
    public int GalleryRows { get; init; } = 20;
    /// <summary>Notes shown beside generations in the report, keyed by file name (the demo marks its planted replicas).</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    /// <summary>The command that started the scan, for the report's provenance (set by the CLI; null from a notebook).</summary>
    public string? CommandLine { get; init; }
    public int BatchSize { get; init; } = 16;
    /// <summary>Follow symbolic links that lead out of an input folder (by default they are reported as skipped).</summary>
    public bool FollowSymlinks { get; init; }
    /// <summary>Refuse embeddings with NaN or infinite values instead of leaving those images out of the search (and naming them).</summary>
    public bool Strict { get; init; }
}
