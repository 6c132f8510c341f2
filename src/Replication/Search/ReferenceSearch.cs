using Replication.Core.Vectors;
using Replication.Embeddings;

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
        bool perChunk = similarity.Kind == SimilarityKind.SplitCosine;
        if (similarity.NormalizesRows && !perChunk)
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
                    double dot = 0, sq = 0, qq = 0, gg = 0;
                    for (int t = c * chunk; t < (c + 1) * chunk; t++)
                    {
                        double a = q[i * dimension + t], b = g[j * dimension + t];
                        dot += a * b;
                        qq += a * a;
                        gg += b * b;
                        sq += (a - b) * (a - b);
                    }
                    // split-cos: the chunk's cosine (0 for an all-zero chunk, as normalisation leaves it zero)
                    if (perChunk) dot = qq > 0 && gg > 0 ? dot / Math.Sqrt(qq * gg) : 0;
                    best = Math.Max(best, dot);
                    worst = Math.Max(worst, Math.Sqrt(sq / chunk));
                }
                acc.Offer(i, (float)(similarity.Kind == SimilarityKind.TiledL2 ? 1 - worst : best), j);
            }
        }
        return acc.ToResult();
    }
}
