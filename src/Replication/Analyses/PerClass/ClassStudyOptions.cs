using Replication.Core.Compute;
using Replication.Images;
using Replication.Embeddings;

namespace Replication.Analyses.PerClass;

/// <summary>What <see cref="PerClassStudy"/> compares: labelled generations and labelled training images (a manifest's
/// <c>label</c> column, or the first folder level: ImageNet's <c>train/nXXXXXXXX/…</c> layout).</summary>
public sealed record ClassStudyOptions
{
    public required string Generated { get; init; }
    public required string Training { get; init; }
    public required string WorkFolder { get; init; }
    public string Model { get; init; } = Replication.Embeddings.BuiltinModels.ResNet18Name;
    public Similarity? Similarity { get; init; }
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
    public AlphaHandling Alpha { get; init; } = AlphaHandling.White;
    public int BatchSize { get; init; } = 16;

    /// <summary>ImageNet's LOC_synset_mapping.txt (<c>n01440764 tench, Tinca tinca</c>) for readable class names, or null.</summary>
    public string? ClassNames { get; init; }

    public int BootstrapSamples { get; init; } = 2000;
    public ulong Seed { get; init; }
}
