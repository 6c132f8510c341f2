namespace Replication.Metrics;

/// <summary>
/// The statistics of the paper and its official code over top-1 similarities: mean, population standard
/// deviation (NumPy's default ddof = 0), 75/90/95th percentiles with linear interpolation (NumPy's default),
/// the fraction strictly above a threshold, and density histograms (NumPy's <c>density=True</c>).
/// NaN scores (queries without a match) are ignored.
/// </summary>
public static class ReplicationStatistics
{
    public const double DefaultThreshold = 0.5;
    public const double DefaultBinWidth = 0.005;

    public static SimilaritySummary Summarize(ReadOnlySpan<float> scores, double threshold = DefaultThreshold)
    {
        var values = Clean(scores);
        if (values.Length == 0)
            return new SimilaritySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, threshold, double.NaN);
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        Array.Sort(values);
        int above = values.Count(v => v > threshold);
        return new SimilaritySummary(values.Length, mean, Math.Sqrt(variance),
            Percentile(values, 75), Percentile(values, 90), Percentile(values, 95), threshold, (double)above / values.Length);
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
    /// Density histogram on [<paramref name="min"/>, <paramref name="max"/>] with bins of <paramref name="binWidth"/>:
    /// each bin's count / (total in range × bin width), so the bars integrate to 1; the last bin includes max,
    /// values outside the range are left out (as NumPy does with an explicit range).
    /// </summary>
    public static Histogram DensityHistogram(ReadOnlySpan<float> scores, double binWidth = DefaultBinWidth, double min = 0, double max = 1)
    {
        int bins = (int)Math.Round((max - min) / binWidth);
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = min + i * (max - min) / bins;
        var counts = new double[bins];
        int total = 0;
        foreach (var s in scores)
        {
            if (float.IsNaN(s) || s < min || s > max) continue;
            int bin = s == max ? bins - 1 : (int)((s - min) / (max - min) * bins);
            bin = Math.Clamp(bin, 0, bins - 1);
            counts[bin]++;
            total++;
        }
        if (total > 0)
            for (int i = 0; i < bins; i++) counts[i] /= total * ((max - min) / bins);
        return new Histogram(edges, counts);
    }

    private static double[] Clean(ReadOnlySpan<float> scores)
    {
        var list = new List<double>(scores.Length);
        foreach (var s in scores) if (!float.IsNaN(s)) list.Add(s);
        return list.ToArray();
    }
}
