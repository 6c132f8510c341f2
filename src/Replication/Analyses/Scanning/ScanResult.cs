using Replication.Embeddings;
using Replication.Reporting.Metrics;
using Replication.Search;

namespace Replication.Analyses.Scanning;

/// <summary>What a scan found: generation→training matches and the training set's own self-similarity baseline, the
/// threshold applied and the calibrated ones, and what an exact copy would score on this metric.</summary>
public sealed record ScanResult(
    ScanOptions Options,
    string ModelName,
    Similarity Similarity,
    EmbeddingFolder Generated,
    EmbeddingFolder Training,
    SearchResult Matches,
    SearchResult TrainingSelfMatches,
    SimilaritySummary GeneratedSummary,
    SimilaritySummary TrainingSummary,
    ThresholdChoice Threshold,
    IReadOnlyList<CalibratedThreshold> Calibrated,
    ExactCopyScores ExactCopy,
    WhiteningMode Whitening)
{
    /// <summary>The model card's sha256 and preprocessing, for provenance.</summary>
    public string ModelSha256 { get; init; } = "";
    public string Preprocessing { get; init; } = "";

    /// <summary>What the input checks found (nested folders, output inside an input).</summary>
    public IReadOnlyList<string> InputWarnings { get; init; } = [];

    /// <summary>Near-constant images of both sides.</summary>
    public IReadOnlyList<Replication.Images.ImageWarning> ImageWarnings => [.. Generated.Warnings, .. Training.Warnings];

    /// <summary>Ids of generated images whose embeddings hold NaN or infinite values: left out of the search (no matches).</summary>
    public IReadOnlyList<string> NonFiniteGenerated { get; init; } = [];

    /// <summary>Ids of training images whose embeddings hold NaN or infinite values: never matched, no self-similarity.</summary>
    public IReadOnlyList<string> NonFiniteTraining { get; init; } = [];
}
