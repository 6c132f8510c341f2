using Replication.Core.Compute;

namespace Replication.Analyses.Benchmark;

public sealed record BenchmarkOptions
{
    /// <summary>Embeddings are kept here per dataset and model and reused while the model and the files are unchanged.</summary>
    public required string CacheFolder { get; init; }

    /// <summary>Predictions per query pooled into µAP (DISC-style cap). mAP, P@k, R@k and MRR always rank the whole gallery.</summary>
    public int TopK { get; init; } = Replication.Search.Retrieval.RetrievalMetrics.DefaultMicroApCap;

    /// <summary>Bound on the memory of the search and of the full ranking.</summary>
    public long SearchMemoryBytes { get; init; } = Replication.Search.SearchMemory.DefaultBudgetBytes;

    public int BatchSize { get; init; } = 16;
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
}
