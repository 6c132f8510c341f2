namespace Replication.Reporting.Metrics;

/// <summary>
/// Thresholds calibrated on the training set (beyond the paper, which uses SSCD's 0.5 for every extractor): the
/// (1 − q) percentile of the training images' top-1 similarity to the other training images (NumPy's linear
/// percentile), so that a fraction q of training images exceed it; the fraction of generations strictly above it; and
/// percentile-bootstrap 95% intervals of both, resampling training and generations with replacement (seeded). A point
/// needs at least ⌈1/q⌉ training images (100 for 1%, 1,000 for 0.1%). Above <see cref="BootstrapLimit"/> scores (where
/// 1,000 resamples would take minutes) the intervals are distribution-free instead: the threshold's from the order
/// statistics whose ranks a Binomial(n, 1 − q) puts at 2.5% and 97.5% (normal approximation), the fraction's a Wilson
/// interval at the point threshold; <see cref="CalibratedThreshold.IntervalMethod"/> says which.
/// </summary>
public static class ThresholdCalibration
{
    public static readonly double[] DefaultExceedances = [0.01, 0.001];
    public const int DefaultBootstrap = 1000;
    public const int BootstrapLimit = 50_000;

    public static IReadOnlyList<CalibratedThreshold> Calibrate(ReadOnlySpan<float> trainingSelf, ReadOnlySpan<float> generated,
        IReadOnlyList<double>? exceedances = null, int bootstrap = DefaultBootstrap, int seed = 0)
    {
        var train = Finite(trainingSelf);
        var gen = Finite(generated);
        return (exceedances ?? DefaultExceedances).Select(q => Calibrate(train, gen, q, bootstrap, seed)).ToList();
    }

    private static CalibratedThreshold Calibrate(double[] train, double[] gen, double q, int bootstrap, int seed)
    {
        if (!(q > 0 && q < 1)) throw new ArgumentOutOfRangeException(nameof(q), $"exceedance {q} must lie in (0, 1)");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bootstrap);
        int minimum = (int)Math.Ceiling(1 / q - 1e-9);
        if (train.Length < minimum || gen.Length == 0)
            return new CalibratedThreshold(q, minimum, train.Length, false, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double percent = 100 * (1 - q);
        double threshold = PercentileOf(train, percent);
        double fraction = FractionAbove(gen, threshold);
        if (train.Length + gen.Length > BootstrapLimit) return Analytic(train, gen, q, minimum, threshold, fraction);
        var rng = new Random(seed);
        var ts = new double[bootstrap];
        var fs = new double[bootstrap];
        var tb = new double[train.Length];
        var gb = new double[gen.Length];
        for (int b = 0; b < bootstrap; b++)
        {
            for (int i = 0; i < tb.Length; i++) tb[i] = train[rng.Next(train.Length)];
            for (int i = 0; i < gb.Length; i++) gb[i] = gen[rng.Next(gen.Length)];
            ts[b] = PercentileOf(tb, percent);
            fs[b] = FractionAbove(gb, ts[b]);
        }
        Array.Sort(ts);
        Array.Sort(fs);
        return new CalibratedThreshold(q, minimum, train.Length, true, threshold,
            ReplicationStatistics.Percentile(ts, 2.5), ReplicationStatistics.Percentile(ts, 97.5), fraction,
            ReplicationStatistics.Percentile(fs, 2.5), ReplicationStatistics.Percentile(fs, 97.5));
    }

    private static CalibratedThreshold Analytic(double[] train, double[] gen, double q, int minimum, double threshold, double fraction)
    {
        var sorted = (double[])train.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        double p = 1 - q, z = 1.959963984540054, sd = Math.Sqrt(n * p * q);
        // 1-based ranks of the bounding order statistics, as indices into the sorted scores
        int lo = (int)Math.Clamp(Math.Floor(n * p - z * sd) - 1, 0, n - 1), hi = (int)Math.Clamp(Math.Ceiling(n * p + z * sd) - 1, 0, n - 1);
        var wilson = Proportion.Wilson((int)Math.Round(fraction * gen.Length), gen.Length);
        return new CalibratedThreshold(q, minimum, n, true, threshold, sorted[lo], sorted[hi], fraction,
            wilson.Low, wilson.High, "order statistics and Wilson");
    }

    private static double PercentileOf(double[] values, double percent)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return ReplicationStatistics.Percentile(sorted, percent);
    }

    private static double FractionAbove(double[] values, double threshold) => (double)values.Count(v => v > threshold) / values.Length;

    private static double[] Finite(ReadOnlySpan<float> scores)
    {
        var list = new List<double>(scores.Length);
        foreach (var s in scores) if (float.IsFinite(s)) list.Add(s);
        return list.ToArray();
    }
}
