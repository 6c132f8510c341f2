namespace Replication.Search;

/// <summary>
/// The plain scalar definition of exact search that the fast paths are tested against: normalise, score
/// every pair in double precision, keep the k best with ties to the lower index.
/// </summary>
public static class ReferenceSearch
{
    public static SearchResult Search(float[] queries, float[] gallery, int dimension, Similarity similarity, int k, bool excludeSelf = false)
    {
        similarity.Validate(dimension);
        var q = (float[])queries.Clone();
        var g = (float[])gallery.Clone();
        if (similarity.NormalizesRows)
        {
            VectorMath.NormalizeRows(q, dimension);
            VectorMath.NormalizeRows(g, dimension);
        }
        int nq = q.Length / dimension, ng = g.Length / dimension;
        int chunk = dimension / similarity.Chunks;
        var acc = new TopKAccumulator(nq, k);
        for (int i = 0; i < nq; i++)
        {
            for (int j = 0; j < ng; j++)
            {
                if (excludeSelf && i == j) continue;
                double best = double.NegativeInfinity, worst = 0;
                for (int c = 0; c < similarity.Chunks; c++)
                {
                    double dot = 0, sq = 0;
                    for (int t = c * chunk; t < (c + 1) * chunk; t++)
                    {
                        dot += (double)q[i * dimension + t] * g[j * dimension + t];
                        double d = (double)q[i * dimension + t] - g[j * dimension + t];
                        sq += d * d;
                    }
                    best = Math.Max(best, dot);
                    worst = Math.Max(worst, Math.Sqrt(sq / chunk));
                }
                acc.Offer(i, (float)(similarity.Kind == SimilarityKind.TiledL2 ? 1 - worst : best), j);
            }
        }
        return acc.ToResult();
    }
}
