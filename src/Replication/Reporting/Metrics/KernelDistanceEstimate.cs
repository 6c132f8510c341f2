namespace Replication.Reporting.Metrics;

/// <summary>A kernel distance (KID) estimate: the mean and standard deviation of the unbiased squared MMD over
/// <paramref name="Subsets"/> draws of <paramref name="SubsetSize"/> rows from each set.</summary>
public sealed record KernelDistanceEstimate(double Mean, double StandardDeviation, int Subsets, int SubsetSize)
{
    public string Describe() => FormattableString.Invariant($"{Mean:0.#####} ± {StandardDeviation:0.#####} ({Subsets} subsets of {SubsetSize})");
}
