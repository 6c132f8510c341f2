using Replication.Core;

namespace Replication.Reporting.Metrics;

/// <summary>Pearson's r, and a percentile bootstrap interval for it (pairs resampled with replacement, seeded).</summary>
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
}
