using System.Globalization;
using Replication.Reporting.Metrics;
using Replication.Embeddings;

namespace Replication.Analyses.Scanning;

/// <summary>The threshold a scan applies and why (NaN <see cref="Value"/>: no meaningful threshold).</summary>
public sealed record ThresholdChoice(double Value, string Source, string Reason)
{
    /// <summary>For a card-calibrated threshold: the chance that a generation copying none of the training images is flagged, if its
    /// pairs behaved like the calibration's unrelated pairs (null otherwise).</summary>
    public double? FalseFlagRate { get; init; }

    /// <summary>A training top-1 self-similarity at or above this counts as a near-duplicate pair.</summary>
    public const double NearDuplicate = 0.999;

    /// <param name="nearDuplicateShare">Share of training images whose nearest other training image scores ≥ <see cref="NearDuplicate"/>.</param>
    /// <param name="card">The model card's own threshold, calibrated on unrelated pairs; the automatic choice takes it first. Pass it
    /// only when the scores are on the card's scale (its own similarity, no whitening).</param>
    /// <param name="trainingCount">The number of training images each generation is compared with (for the card threshold's false-flag rate).</param>
    public static ThresholdChoice Choose(ThresholdPolicy policy, Similarity similarity, IReadOnlyList<CalibratedThreshold> calibrated, double nearDuplicateShare = 0,
        CardCalibration? card = null, long trainingCount = 0)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(calibrated);
        if (policy.Rule == ThresholdRule.Given)
            return new(policy.Value, "given", $"given ({policy})");
        if (policy.Rule == ThresholdRule.Paper)
            return new(ThresholdPolicy.PaperValue, "paper", "the paper's 0.5 (its Section 7 threshold for SSCD, chosen without a stated calibration), as asked");
        if (card is not null && policy.Rule == ThresholdRule.Calibrated)
            return new(card.Threshold, "card-calibrated", CardReason(card, trainingCount)) { FalseFlagRate = trainingCount > 0 ? card.FalseFlagProbability(trainingCount) : null };
        var one = calibrated.FirstOrDefault(c => Math.Abs(c.Exceedance - ThresholdPolicy.CalibrationExceedance) < 1e-12 && c.Estimable);
        string? duplicates = null;
        if (one is not null && similarity.ExactCopyScoresOne && one.Threshold >= NearDuplicate)
        {
            // more than 1% of the training set has a near-identical twin: the 1% point only separates exact copies
            duplicates = $"{nearDuplicateShare:P1} of the training images have a near-identical other training image (≥ {NearDuplicate}), so the calibrated 1% point is {one.Threshold:0.000} and flags only exact copies; de-duplicate the training set to calibrate (the subsets command writes a training manifest without near-duplicates: replication subsets with the training folder and one size, its total)";
            one = null;
        }
        if (one is not null)
            return new(one.Threshold, "calibrated-1%", $"calibrated on the training set: only 1% of the {one.TrainingCount} training images score above it against their nearest other training image");
        if (similarity.ExactCopyScoresOne)
            return new(ThresholdPolicy.PaperValue, "paper", "the paper's 0.5 (its Section 7 threshold for SSCD, chosen without a stated calibration); " + (duplicates ?? "fewer than 100 training images, so no calibrated threshold is estimable"));
        return new(double.NaN, "none", $"none: {similarity} has no fixed scale (an exact copy scores the largest chunk's share of the norm) and fewer than 100 training images allow no calibration");
    }

    /// <summary>Why a card's calibrated threshold applies, with the false-positive rates it implies.</summary>
    public static string CardReason(CardCalibration card, long trainingCount)
    {
        ArgumentNullException.ThrowIfNull(card);
        string perPair = string.Create(CultureInfo.InvariantCulture, $"calibrated for this model on unrelated pairs: {card.Exceedance:0.####%} of {card.Pairs:N0} pairs of unrelated images score above it (a false-positive rate of {card.Exceedance:G2} per pair)");
        if (trainingCount <= 0) return perPair;
        return perPair + string.Create(CultureInfo.InvariantCulture,
            $"; against {trainingCount:N0} training images, a generation that copies none of them is flagged with probability about {card.FalseFlagProbability(trainingCount):0.#%} if its pairs behaved like the calibration pairs");
    }
}
