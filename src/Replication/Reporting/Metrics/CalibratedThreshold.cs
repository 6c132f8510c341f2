namespace Replication.Reporting.Metrics;

/// <summary>
/// A threshold read off the training set's own top-1 self-similarity: the score that only <see cref="Exceedance"/> of
/// training images exceed against their nearest other training image, and the fraction of generations above it, each
/// with a bootstrap 95% interval. Not estimable (NaN values, <see cref="Estimable"/> false) with fewer than
/// <see cref="MinimumTraining"/> training images.
/// </summary>
public sealed record CalibratedThreshold(
    double Exceedance,
    int MinimumTraining,
    int TrainingCount,
    bool Estimable,
    double Threshold,
    double ThresholdLow,
    double ThresholdHigh,
    double FractionAbove,
    double FractionLow,
    double FractionHigh,
    string IntervalMethod = "bootstrap")
{
    /// <summary>"1%" or "0.1%".</summary>
    public string Label => (Exceedance * 100).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
