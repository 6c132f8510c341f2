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

    /// <summary>Only these classes (null: every class); a name that is not a training class is refused.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>A class with fewer training images than this is dropped, with a note in <see cref="ClassStudyResult.Excluded"/>
    /// (its mean self-similarity rests on too few pairs).</summary>
    public int MinimumTraining { get; init; } = 5;

    public int BootstrapSamples { get; init; } = 2000;
    public int Permutations { get; init; } = 10000;
    public ulong Seed { get; init; }
}
