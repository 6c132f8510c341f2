using Replication.Compute;
using Replication.Metrics;
using Replication.Search;

namespace Replication.Scanning;

/// <summary>The settings of a replication scan.</summary>
public sealed record ScanOptions
{
    public required string Generated { get; init; }
    public required string Training { get; init; }
    public required string OutputFolder { get; init; }
    public string Model { get; init; } = "resnet18";
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
    /// <summary>How embeddings are compared; null takes the model card's own (cosine for vectors, split-product over tokens, tiled ℓ2 for pixel tiles).</summary>
    public Similarity? Similarity { get; init; }
    public int TopK { get; init; } = 5;
    public double Threshold { get; init; } = ReplicationStatistics.DefaultThreshold;
    public int GalleryRows { get; init; } = 20;
    public int BatchSize { get; init; } = 16;
}
