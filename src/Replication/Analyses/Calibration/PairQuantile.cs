namespace Replication.Analyses.Calibration;

/// <summary>The score that <see cref="Exceedance"/> of the unrelated pairs exceed (<see cref="Above"/> pairs score strictly above
/// <see cref="Threshold"/>).</summary>
public sealed record PairQuantile(double Exceedance, double Threshold, long Above);
