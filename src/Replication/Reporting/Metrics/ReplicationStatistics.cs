namespace Replication.Reporting.Metrics;

/// <summary>
/// The statistics of the paper and its official code over top-1 similarities: mean, population standard
/// deviation (NumPy's default ddof = 0), 75/90/95th percentiles with linear interpolation (NumPy's default),
/// the fraction strictly above a threshold, and density histograms over the official edges (<see cref="HistogramBins"/>).
/// NaN scores (queries without a match) are ignored.
/// </summary>
public static class ReplicationStatistics
{
    public static SimilaritySummary Summarize(ReadOnlySpan<float> scores, double threshold = ThresholdPolicy.PaperValue)
    {
        var values = Clean(scores);
        if (values.Length == 0)
            return new SimilaritySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, threshold, double.NaN);
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        Array.Sort(values);
        int above = values.Count(v => v > threshold);
        // no threshold (NaN): no fraction either, rather than a 0 that reads as "no replicas"
        return new SimilaritySummary(values.Length, mean, Math.Sqrt(variance),
            Percentile(values, 75), Percentile(values, 90), Percentile(values, 95), threshold,
            double.IsNaN(threshold) ? double.NaN : (double)above / values.Length);
    }

    /// <summary>NumPy's default (linear) percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        if (sorted.Length == 0) return double.NaN;
        double position = percent / 100.0 * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        double fraction = position - lower;
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
    }

    /// <summary>
    /// Density histogram over the given edges, as <c>np.histogram(x, edges, density=True)</c> and the official code's
    /// <c>plt.hist(x, edges, density=True)</c>: a value v falls in bin i when edges[i] ≤ v &lt; edges[i+1], the last bin also
    /// holds its right edge; each bin's count / (values inside × bin width). Values outside are counted in
    /// <see cref="Histogram.Below"/> / <see cref="Histogram.Above"/>; NaN is ignored. One deviation from the official code:
    /// values beyond an end edge by at most <see cref="EdgeTolerance"/> (float32 rounding, e.g. an exact copy's cosine of
    /// 1.0000001) fall into the end bin instead of being dropped.
    /// </summary>
    public const double EdgeTolerance = 1e-5;

    public static Histogram DensityHistogram(ReadOnlySpan<float> scores, double[] edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Length < 2) throw new ArgumentException("a histogram needs at least two edges", nameof(edges));
        int bins = edges.Length - 1;
        var counts = new double[bins];
        int total = 0, below = 0, above = 0;
        foreach (var s in scores)
        {
            if (float.IsNaN(s)) continue;
            double v = s;
            if (v < edges[0] - EdgeTolerance) { below++; continue; }
            if (v > edges[^1] + EdgeTolerance) { above++; continue; }
            v = Math.Clamp(v, edges[0], edges[^1]);
            // last edge ≤ v: searchsorted(edges, v, side='right') − 1, with the closed last bin
            int lo = 0, hi = edges.Length;
            while (lo < hi) { int mid = (lo + hi) >>> 1; if (edges[mid] <= v) lo = mid + 1; else hi = mid; }
            int bin = Math.Min(lo - 1, bins - 1);
            counts[bin]++;
            total++;
        }
        if (total > 0)
            for (int i = 0; i < bins; i++) counts[i] /= total * (edges[i + 1] - edges[i]);
        return new Histogram(edges, counts, below, above);
    }

    private static double[] Clean(ReadOnlySpan<float> scores)
    {
        var list = new List<double>(scores.Length);
        foreach (var s in scores) if (!float.IsNaN(s)) list.Add(s);
        return list.ToArray();
    }
}
