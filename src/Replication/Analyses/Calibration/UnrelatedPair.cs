namespace Replication.Analyses.Calibration;

/// <summary>One pair of images counted as unrelated, with its score (the highest-scoring pairs are listed for inspection: a
/// calibration set whose "unrelated" pairs hold copies shows them at the top).</summary>
public sealed record UnrelatedPair(string First, string Second, double Score);
