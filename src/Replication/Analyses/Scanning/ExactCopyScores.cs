using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Analyses.Scanning;

/// <summary>
/// What an exact copy of a training image scores on the scan's metric: 1 for cosine, split-cos and tiled ℓ2; for the
/// official split-product the largest chunk's share of the row's squared norm, which depends on the image, so its
/// distribution over the training rows is reported (min, median, max).
/// </summary>
public sealed record ExactCopyScores(bool Constant, double Min, double Median, double Max)
{
    public static ExactCopyScores Of(Similarity similarity, IVectorSource training)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(training);
        if (similarity.ExactCopyScoresOne) return new(true, 1, 1, 1);
        int d = training.Dimension, chunk = d / similarity.Chunks;
        int block = Math.Max(1, (16 << 20) / d);
        var buf = new float[(long)block * d];
        var shares = new double[training.Count];
        for (long r0 = 0; r0 < training.Count; r0 += block)
        {
            int n = (int)Math.Min(block, training.Count - r0);
            training.ReadRows(r0, n, buf);
            for (int i = 0; i < n; i++)
            {
                double total = 0, best = 0;
                for (int c = 0; c < similarity.Chunks; c++)
                {
                    double sq = 0;
                    for (int t = 0; t < chunk; t++) { double v = buf[(long)i * d + c * chunk + t]; sq += v * v; }
                    total += sq;
                    best = Math.Max(best, sq);
                }
                shares[r0 + i] = total > 0 ? best / total : 0;
            }
        }
        Array.Sort(shares);
        return new(false, shares[0], Replication.Reporting.Metrics.ReplicationStatistics.Percentile(shares, 50), shares[^1]);
    }
}
