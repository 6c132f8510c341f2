using Replication.Core;

namespace Replication.Reporting.Metrics;

/// <summary>
/// A fraction of items with a property (generations above the replication threshold), with a percentile bootstrap 95% interval:
/// the items are resampled with replacement <c>samples</c> times (SplitMix64 from the seed) and the 2.5th and 97.5th percentiles
/// of the resampled fractions are reported. With no items the fraction and its interval are NaN.
/// </summary>
public sealed record Proportion(int Count, int Total, double Fraction, double Low, double High)
{
    public const int DefaultSamples = 2000;

    public static Proportion Estimate(IReadOnlyList<bool> items, int samples = DefaultSamples, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        int n = items.Count;
        int count = items.Count(b => b);
        if (n == 0) return new Proportion(0, 0, double.NaN, double.NaN, double.NaN);
        var fractions = new double[samples];
        ulong state = seed;
        for (int s = 0; s < samples; s++)
        {
            int hits = 0;
            for (int i = 0; i < n; i++)
                if (items[(int)(SeededPermutation.Next(ref state) % (ulong)n)]) hits++;
            fractions[s] = (double)hits / n;
        }
        Array.Sort(fractions);
        return new Proportion(count, n, (double)count / n, ReplicationStatistics.Percentile(fractions, 2.5), ReplicationStatistics.Percentile(fractions, 97.5));
    }

    /// <summary>k of n with the Wilson score 95% interval (for counts whose units are not what a bootstrap would resample, such as
    /// the distinct images a set of generations hits).</summary>
    public static Proportion Wilson(int count, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, total);
        if (total == 0) return new Proportion(0, 0, double.NaN, double.NaN, double.NaN);
        const double z = 1.959963984540054;
        double p = (double)count / total, n = total;
        double center = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        return new Proportion(count, total, p, Math.Max(0, center - half), Math.Min(1, center + half));
    }

    public string Describe() => Total == 0
        ? "no items"
        : FormattableString.Invariant($"{Count}/{Total} = {100 * Fraction:0.##}% (95% bootstrap {100 * Low:0.##}–{100 * High:0.##}%)");
}
