using Replication.Compute;

namespace Replication.Benchmark;

public sealed record BenchmarkOptions
{
    /// <summary>Embeddings are kept here per dataset and model and reused while the model and the files are unchanged.</summary>
    public required string CacheFolder { get; init; }

    /// <summary>Results kept per query (AP is computed over them; positives below the cut add nothing).</summary>
    public int TopK { get; init; } = 100;

    public int BatchSize { get; init; } = 16;
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
}
