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

    public string Describe() => Total == 0
        ? "no items"
        : FormattableString.Invariant($"{Count}/{Total} = {100 * Fraction:0.##}% (95% bootstrap {100 * Low:0.##}–{100 * High:0.##}%)");
}
