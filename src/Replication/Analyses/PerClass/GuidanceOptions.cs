using Replication.Core.Compute;
using Replication.Embeddings;

namespace Replication.Analyses.PerClass;

/// <summary>What <see cref="GuidanceChoice"/> measures: the own-class rate of a class-conditional denoiser at each guidance scale.</summary>
public sealed record GuidanceOptions
{
    public required string Denoiser { get; init; }

    /// <summary>The labelled training manifest the denoiser was trained on.</summary>
    public required string Training { get; init; }
    public required string WorkFolder { get; init; }
    public required IReadOnlyList<double> Scales { get; init; }

    /// <summary>Generations per class and scale.</summary>
    public int PerClass { get; init; } = 8;
    public int Steps { get; init; } = 50;
    public ulong Seed { get; init; }
    public int SampleBatch { get; init; } = 32;

    /// <summary>The extractor that decides a generation's nearest training image (pixels: what the model was trained on).</summary>
    public string Model { get; init; } = BuiltinModels.PixelsName;
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
}
