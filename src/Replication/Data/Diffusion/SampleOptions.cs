using Replication.Core.Compute;

namespace Replication.Data.Diffusion;

/// <summary>What <see cref="SampleJob"/> draws: <see cref="Count"/> images from the denoiser card at <see cref="Denoiser"/>.</summary>
public sealed record SampleOptions
{
    public required string Denoiser { get; init; }
    public required string OutputFolder { get; init; }
    public required int Count { get; init; }
    public required SamplerSettings Sampler { get; init; }
    public ulong Seed { get; init; }
    public int BatchSize { get; init; } = 16;
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>For a class-conditional denoiser, the classes to draw (image i gets Classes[i mod k]); null: all of the card's.</summary>
    public IReadOnlyList<string>? Classes { get; init; }
}
