using Replication.Analyses.Scanning;
using Replication.Reporting.Metrics;

namespace Replication.Analyses.Sweep;

/// <param name="Frechet">Fréchet distance between generated and training features (NaN when the features are too long for a
/// covariance, e.g. token sequences, or either set has no more vectors than dimensions).</param>
/// <param name="Quality">Sample quality against held-out real images; null when the sweep has no reference set.</param>
/// <param name="Copies">The generations above the threshold, with a percentile-bootstrap 95% interval.</param>
public sealed record SweepRow(string Model, SweepCase Case, ScanResult Scan, double Frechet, SweepQuality? Quality, Proportion Copies)
{
    public double Threshold => Scan.Threshold.Value;
    public double FractionAbove => Scan.GeneratedSummary.FractionAbove;
}
