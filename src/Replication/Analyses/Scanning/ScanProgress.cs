using Replication.Embeddings;

namespace Replication.Analyses.Scanning;

/// <summary>Hooks a caller (the CLI's progress bars, a notebook) uses to follow a scan.</summary>
public sealed record ScanProgress(
    Func<string, IProgress<EmbeddingProgress>?>? Embedding = null,
    Func<string, Action<long, long>?>? Search = null);
