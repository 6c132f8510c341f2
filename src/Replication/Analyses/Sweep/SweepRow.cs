using Replication.Analyses.Scanning;

namespace Replication.Analyses.Sweep;

/// <param name="Frechet">Fréchet distance between generated and training features (NaN when the features are too long for a
/// covariance, e.g. token sequences).</param>
public sealed record SweepRow(string Model, SweepCase Case, ScanResult Scan, double Frechet)
{
    public double Threshold => Scan.Threshold.Value;
    public double FractionAbove => Scan.GeneratedSummary.FractionAbove;
}
