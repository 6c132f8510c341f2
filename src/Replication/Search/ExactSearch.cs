using Replication.Compute;
using Replication.Storage;

namespace Replication.Search;

/// <summary>
/// Exact top-k search of every query against a gallery, tiled over queries and streamed over the gallery so
/// that memory stays bounded whatever the gallery size.
/// </summary>
public static class ExactSearch
{
    /// <summary>Upper bound on the floats of one tile's score tensor (chunks × query tile × gallery block).</summary>
    public const long ScoreBudgetFloats = 48L << 20;

    /// <param name="excludeSelf">For a gallery searched against itself: query i never matches gallery row i
    /// (its own index), while exact duplicates at other indices still do.</param>
    /// <param name="progress">Called with (query-gallery pairs done, pairs in all).</param>
    public static SearchResult Search(IVectorSource queries, IVectorSource gallery, Similarity similarity, int k,
        ComputeDevice device = ComputeDevice.Cpu, bool excludeSelf = false, Action<long, long>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (queries.Dimension != gallery.Dimension)
            throw new InvalidDataException($"dimension mismatch: queries {queries.Description} have {queries.Dimension}, gallery {gallery.Description} has {gallery.Dimension}");
        if (queries.Count == 0) throw new InvalidDataException($"{queries.Description}: no query vectors");
        if (gallery.Count == 0) throw new InvalidDataException($"{gallery.Description}: empty gallery");
        if (excludeSelf && queries.Count != gallery.Count)
            throw new ArgumentException("excluding self-matches needs the queries and the gallery to be the same rows");
        int dim = queries.Dimension;
        similarity.Validate(dim);

        var (queryTile, galleryBlock) = TileSizes(queries.Count, gallery.Count, similarity);
        int nq = checked((int)queries.Count);
        var acc = new TopKAccumulator(nq, k);
        int request = excludeSelf ? k + 1 : k;
        // Tiled ℓ2 is scored with ‖q‖² + ‖g‖² − 2q·g on the device, which loses precision next to zero distance
        // (exactly where copies are): its candidates (with a margin) are rescored exactly here.
        bool rescore = similarity.Kind == SimilarityKind.TiledL2;
        if (rescore) request += RescoreMargin;
        var qBuf = new float[queryTile * dim];
        var gBuf = new float[galleryBlock * dim];
        long totalPairs = queries.Count * gallery.Count, donePairs = 0;
        using var scorer = new OrtBlockScorer(dim, similarity, device);
        for (int q0 = 0; q0 < nq; q0 += queryTile)
        {
            int tq = Math.Min(queryTile, nq - q0);
            queries.ReadRows(q0, tq, qBuf);
            if (similarity.NormalizesRows) VectorMath.NormalizeRows(qBuf.AsSpan(0, tq * dim), dim);
            for (long g0 = 0; g0 < gallery.Count; g0 += galleryBlock)
            {
                int tg = (int)Math.Min(galleryBlock, gallery.Count - g0);
                gallery.ReadRows(g0, tg, gBuf);
                if (similarity.NormalizesRows) VectorMath.NormalizeRows(gBuf.AsSpan(0, tg * dim), dim);
                scorer.ScoreTopK(qBuf, tq, gBuf, tg, request, (i, scores, indices) =>
                {
                    int query = q0 + i;
                    for (int r = 0; r < scores.Length; r++)
                    {
                        long index = g0 + indices[r];
                        if (excludeSelf && index == query) continue;
                        float score = rescore
                            ? TiledL2Score(qBuf.AsSpan(i * dim, dim), gBuf.AsSpan((int)indices[r] * dim, dim), similarity.Chunks)
                            : scores[r];
                        acc.Offer(query, score, index);
                    }
                });
                donePairs += (long)tq * tg;
                progress?.Invoke(donePairs, totalPairs);
            }
        }
        return acc.ToResult();
    }

    private const int RescoreMargin = 8;

    /// <summary>1 − the largest per-tile RMS difference, computed directly from the differences.</summary>
    public static float TiledL2Score(ReadOnlySpan<float> q, ReadOnlySpan<float> g, int tiles)
    {
        int size = q.Length / tiles;
        double worst = 0;
        for (int t = 0; t < tiles; t++)
        {
            double sq = 0;
            for (int i = t * size; i < (t + 1) * size; i++)
            {
                double d = q[i] - g[i];
                sq += d * d;
            }
            worst = Math.Max(worst, sq / size);
        }
        return (float)(1 - Math.Sqrt(worst));
    }

    /// <summary>The training set's self-similarity baseline: each row's best matches among the other rows.</summary>
    public static SearchResult SelfSimilarity(IVectorSource gallery, Similarity similarity, int k,
        ComputeDevice device = ComputeDevice.Cpu, Action<long, long>? progress = null) =>
        Search(gallery, gallery, similarity, k, device, excludeSelf: true, progress);

    internal static (int QueryTile, int GalleryBlock) TileSizes(long queries, long gallery, Similarity similarity)
    {
        int chunks = similarity.Chunks;
        // tiled ℓ2 keeps about four [chunks, tile, block] intermediates alive, the others one
        long perPair = (long)chunks * (similarity.Kind == SimilarityKind.TiledL2 ? 4 : 1);
        int block = (int)Math.Min(gallery, chunks > 1 ? 4096 : 16384);
        int tile = (int)Math.Clamp(ScoreBudgetFloats / (block * perPair), 1, 4096);
        return ((int)Math.Min(tile, queries), block);
    }
}
