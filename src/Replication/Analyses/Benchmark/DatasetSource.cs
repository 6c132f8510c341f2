using Replication.Data.Datasets;

namespace Replication.Analyses.Benchmark;

/// <summary>A named dataset that is loaded (or generated) when the benchmark reaches it; a failure fails its cells only.</summary>
public sealed record DatasetSource(string Name, Func<CopyDataset> Load);
