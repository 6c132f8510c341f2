using Replication.Embeddings;

namespace Replication.Reporting.Metrics;

/// <summary>Bin edges for similarity histograms.</summary>
public static class HistogramBins
{
    /// <summary>The official code's edges: <c>np.linspace(0, 1, ceil(1 / 0.005))</c> = 200 edges, 199 bins of width 1/199.</summary>
    public static double[] Official() => Linear(0, 1, 199);

    /// <summary><paramref name="bins"/> equal bins from <paramref name="min"/> to <paramref name="max"/>, computed as NumPy's
    /// <c>linspace</c> does (i · step + min, the last edge set to max).</summary>
    public static double[] Linear(double min, double max, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (!(max > min)) throw new ArgumentException($"histogram range [{min}, {max}] is empty");
        var edges = new double[bins + 1];
        double step = (max - min) / bins;
        for (int i = 0; i <= bins; i++) edges[i] = i * step + min;
        edges[bins] = max;
        return edges;
    }

    /// <summary>
    /// The edges for scores of <paramref name="similarity"/>: the official [0, 1] edges for metrics on which an exact copy
    /// scores 1 (cosine, split-cos, tiled ℓ2); for the official split-product, whose scale depends on the data, 199 bins over
    /// the observed range of all the series (so that they share edges).
    /// </summary>
    public static double[] For(Similarity similarity, params float[][] series)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        if (similarity.ExactCopyScoresOne) return Official();
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var s in series)
            foreach (var v in s)
                if (float.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (double.IsInfinity(min)) return Official();
        if (max - min < 1e-6) { min -= 5e-7; max += 5e-7; }
        return Linear(min, max, 199);
    }
}
