using Replication.Features;
using Replication.Metrics;
using Replication.Search;

namespace Replication.Scanning;

/// <summary>What a scan found: generation→training matches and the training set's own self-similarity baseline.</summary>
public sealed record ScanResult(
    ScanOptions Options,
    string ModelName,
    EmbeddingSet Generated,
    EmbeddingSet Training,
    SearchResult Matches,
    SearchResult TrainingSelfMatches,
    SimilaritySummary GeneratedSummary,
    SimilaritySummary TrainingSummary);
