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

    /// <summary>Above this share of training images over a card-calibrated threshold, the verdict says the threshold may not suit these images.</summary>
    public const double ManyTrainingAbove = 0.10;

    /// <summary>
    /// The scan's answer in one sentence: how many generations score above the threshold, what the threshold means (the share of
    /// training images that score above it against their nearest other training image: the rate at which images that copy
    /// nothing would be flagged), and where to look.
    /// </summary>
    public string Verdict()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var g = GeneratedSummary;
        if (double.IsNaN(Threshold.Value))
            return $"No threshold applies to {Similarity} scores here ({Threshold.Reason}): compare the two histograms, and look at the closest pairs in the report's gallery.";
        int above = (int)Math.Round(g.FractionAbove * g.Count);
        string rate = double.IsNaN(TrainingSummary.FractionAbove) ? "unknown" : string.Create(inv, $"{100 * TrainingSummary.FractionAbove:0.#}%");
        string look = above > 0 ? "Look at the flagged pairs first: the gallery shows each generation beside its closest training image, best first." : "The gallery shows the closest pairs anyway.";
        if (Threshold.FalseFlagRate is double falseFlag)
            return string.Create(inv, $"{above} of {g.Count} generations ({100 * g.FractionAbove:0.#}%) score above the threshold {Threshold.Value:0.000}, calibrated for this model on unrelated pairs: ") +
                   string.Create(inv, $"a generation that copies none of these {Training.Count:N0} training images would be flagged with probability about {100 * falseFlag:0.#}%. ") +
                   $"{rate} of training images score above it against their nearest other training image: the training set's own near-copies" +
                   (TrainingSummary.FractionAbove > ManyTrainingAbove
                       ? ". That is many: either the training set holds many near-copies of its own images, or its images are unlike those the threshold was calibrated on (see the model card's calibration set), and then the training-calibrated threshold (the threshold policy 'training') is the one to read. "
                       : ". ") + look;
        return string.Create(inv, $"{above} of {g.Count} generations ({100 * g.FractionAbove:0.#}%) score above the threshold {Threshold.Value:0.000} ({Threshold.Source}); ") +
               $"{rate} of training images score above it against their nearest other training image, so about that share of generations that copy nothing would be flagged too. " + look;
    }
}
