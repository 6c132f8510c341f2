using Replication.Core;

namespace Replication.Reporting.Metrics;

/// <summary>Pearson's r, a percentile bootstrap interval for it (pairs resampled with replacement, seeded), a permutation test
/// and the leave-one-out values.</summary>
public static class Correlation
{
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException("x and y must have the same length");
        if (x.Count < 2 || x.Distinct().Count() < 2 || y.Distinct().Count() < 2) return double.NaN; // undefined for a constant side
        return MathNet.Numerics.Statistics.Correlation.Pearson(x, y);
    }

    /// <summary>The 2.5th and 97.5th percentiles of r over <paramref name="samples"/> resamples (resamples with a constant side are skipped).</summary>
    public static (double Low, double High) BootstrapInterval(IReadOnlyList<double> x, IReadOnlyList<double> y, int samples = 2000, ulong seed = 0)
    {
        if (x.Count != y.Count) throw new ArgumentException("x and y must have the same length");
        if (x.Count < 3) return (double.NaN, double.NaN);
        ulong state = seed;
        var rs = new List<double>(samples);
        var bx = new double[x.Count];
        var by = new double[x.Count];
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < x.Count; i++)
            {
                int j = (int)(SeededPermutation.Next(ref state) % (ulong)x.Count);
                bx[i] = x[j];
                by[i] = y[j];
            }
            double r = Pearson(bx, by);
            if (!double.IsNaN(r)) rs.Add(r);
        }
        if (rs.Count == 0) return (double.NaN, double.NaN);
        var sorted = rs.Order().ToArray();
        return (ReplicationStatistics.Percentile(sorted, 2.5), ReplicationStatistics.Percentile(sorted, 97.5));
    }

    /// <summary>
    /// Two-sided permutation p-value of r: y is shuffled against x <paramref name="permutations"/> times (Fisher–Yates from a
    /// SplitMix64 stream seeded by <paramref name="seed"/>) and p = (1 + #{|r_perm| ≥ |r|}) / (1 + permutations), so p is never 0.
    /// NaN when r is undefined (fewer than 3 pairs or a constant side).
    /// </summary>
    public static double PermutationP(IReadOnlyList<double> x, IReadOnlyList<double> y, int permutations = 10000, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permutations);
        if (x.Count != y.Count) throw new ArgumentException("x and y must have the same length");
        double observed = x.Count < 3 ? double.NaN : Pearson(x, y);
        if (double.IsNaN(observed)) return double.NaN;
        var shuffled = y.ToArray();
        ulong state = seed;
        int atLeast = 0;
        // a tolerance so that a permutation equal to the observed pairing counts despite rounding in the sums
        double bar = Math.Abs(observed) - 1e-12;
        for (int s = 0; s < permutations; s++)
        {
            for (int i = shuffled.Length - 1; i > 0; i--)
            {
                int j = (int)(SeededPermutation.Next(ref state) % (ulong)(i + 1));
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }
            if (Math.Abs(Pearson(x, shuffled)) >= bar) atLeast++;
        }
        return (1.0 + atLeast) / (1.0 + permutations);
    }

    /// <summary>r with each pair left out in turn: element i is r over the other pairs (NaN where undefined).</summary>
    public static double[] LeaveOneOut(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException("x and y must have the same length");
        var result = new double[x.Count];
        var bx = new double[Math.Max(0, x.Count - 1)];
        var by = new double[bx.Length];
        for (int left = 0; left < x.Count; left++)
        {
            for (int i = 0, k = 0; i < x.Count; i++)
                if (i != left) { bx[k] = x[i]; by[k] = y[i]; k++; }
            result[left] = Pearson(bx, by);
        }
        return result;
    }

    /// <summary>
    /// The two-sided p-value of r over n pairs under the null of no correlation for normal data (scipy.stats.pearsonr's): Student's t
    /// with n − 2 degrees of freedom at t = r √((n − 2) / (1 − r²)). NaN for n &lt; 3 or r NaN; 0 for |r| = 1.
    /// </summary>
    public static double ParametricP(double r, int n)
    {
        if (n < 3 || double.IsNaN(r)) return double.NaN;
        double a = Math.Min(1, Math.Abs(r));
        if (a >= 1) return 0;
        double t = a * Math.Sqrt((n - 2) / (1 - a * a));
        return Math.Min(1, 2 * (1 - MathNet.Numerics.Distributions.StudentT.CDF(0, 1, n - 2, t)));
    }
}
