using Replication.Core.Compute;
using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Search;

/// <summary>
/// Exact top-k search of every query against a gallery, streamed over gallery blocks (outer loop: each block is read and
/// laid out once) and query tiles (inner loop), both sized by a memory budget (<see cref="SearchMemory"/>), so that peak
/// memory is set by the budget, flat in the number of gallery rows.
/// </summary>
public static class ExactSearch
{
    /// <param name="excludeSelf">For a gallery searched against itself: query i never matches gallery row i
    /// (its own index), while exact duplicates at other indices still do.</param>
    /// <param name="progress">Called with (query-gallery pairs done, pairs in all).</param>
    /// <param name="memoryBudgetBytes">Bound on the rows and scores held at once (<see cref="SearchMemory.DefaultBudgetBytes"/>).</param>
    /// <param name="strict">Refuse rows with NaN or infinite values (an <see cref="InputDataException"/> naming them) instead of
    /// leaving them out: by default a non-finite gallery row is never matched and a non-finite query gets no matches, both
    /// listed in <see cref="SearchResult.NonFiniteQueries"/> and <see cref="SearchResult.NonFiniteGallery"/>.</param>
    public static SearchResult Search(IVectorSource queries, IVectorSource gallery, Similarity similarity, int k,
        ComputeDevice device = ComputeDevice.Cpu, bool excludeSelf = false, Action<long, long>? progress = null,
        long memoryBudgetBytes = SearchMemory.DefaultBudgetBytes, bool strict = false) =>
        Search(queries, gallery, similarity, k, device, excludeSelf, progress, memoryBudgetBytes, strict, scorer: null);

    /// <summary>As the public overload, on a <paramref name="scorer"/> built for this dimension, similarity and device (or a new one
    /// when null): a caller searching many galleries in turn (a store's shards) builds the search graph's session once.</summary>
    internal static SearchResult Search(IVectorSource queries, IVectorSource gallery, Similarity similarity, int k,
        ComputeDevice device, bool excludeSelf, Action<long, long>? progress, long memoryBudgetBytes, bool strict, OrtBlockScorer? scorer)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        Check(queries, gallery);
        if (excludeSelf && queries.Count != gallery.Count)
            throw new ParameterException("ExcludeSelf", "excluding self-matches needs the queries and the gallery to be the same rows");
        int dim = queries.Dimension;
        similarity.Validate(dim);

        var (queryTile, galleryBlock) = SearchMemory.TileSizes(queries.Count, gallery.Count, dim, similarity, memoryBudgetBytes);
        int nq = checked((int)queries.Count);
        if ((long)nq * k > Array.MaxLength)
            throw new ParameterException("TopK", k, $"{nq} queries × top {k} results do not fit in one array; lower k (at most the gallery's {gallery.Count} rows are ever found) or search the queries in parts");
        var badQueries = NonFiniteRows.Find(queries);
        if (strict && badQueries.Count > 0)
            throw new InputDataException(NonFiniteRows.Describe(badQueries, queries.Description));
        var badGallery = new List<long>();
        var blockRows = new int[galleryBlock];
        var acc = new TopKAccumulator(nq, k);
        int request = excludeSelf ? k + 1 : k;
        // Tiled ℓ2 is scored with ‖q‖² + ‖g‖² − 2q·g on the device, which loses precision next to zero distance
        // (exactly where copies are): its candidates (with a margin) are rescored exactly here.
        bool rescore = similarity.Kind == SimilarityKind.TiledL2;
        if (rescore) request += RescoreMargin;
        var tiles = new QueryTiles(queries, similarity, queryTile, memoryBudgetBytes);
        var gBuf = new float[(long)galleryBlock * dim];
        long totalPairs = queries.Count * gallery.Count, donePairs = 0;
        if (scorer is not null && (scorer.Dimension != dim || scorer.Similarity != similarity || !scorer.TopK))
            throw new ArgumentException($"the scorer was built for dimension {scorer.Dimension}, {scorer.Similarity}; the search needs {dim}, {similarity}", nameof(scorer));
        using var owned = scorer is null ? new OrtBlockScorer(dim, similarity, device) : null;
        scorer ??= owned!;
        bool queriesLaidOut = false; // the scorer holds the single tile of all queries from an earlier block
        for (long g0 = 0; g0 < gallery.Count; g0 += galleryBlock)
        {
            int tg = (int)Math.Min(galleryBlock, gallery.Count - g0);
            gallery.ReadRows(g0, tg, gBuf);
            int good = 0; // finite rows moved to the front; blockRows maps them back to the block
            for (int r = 0; r < tg; r++)
            {
                if (!NonFiniteRows.IsFinite(gBuf.AsSpan(r * dim, dim)))
                {
                    badGallery.Add(g0 + r);
                    continue;
                }
                if (good != r) gBuf.AsSpan(r * dim, dim).CopyTo(gBuf.AsSpan(good * dim, dim));
                blockRows[good++] = r;
            }
            if (strict && badGallery.Count > 0)
                throw new InputDataException(NonFiniteRows.Describe(badGallery, gallery.Description));
            if (good == 0)
            {
                donePairs += (long)nq * tg;
                progress?.Invoke(donePairs, totalPairs);
                continue;
            }
            similarity.Prepare(gBuf.AsSpan(0, good * dim), dim);
            scorer.SetGallery(gBuf, good);
            for (int q0 = 0; q0 < nq; q0 += queryTile)
            {
                int tq = Math.Min(queryTile, nq - q0);
                var qBuf = tiles.Get(q0, tq);
                // one tile holding every query: the same rows for every block, laid out once
                bool unchanged = queriesLaidOut && tq == nq;
                queriesLaidOut = tq == nq;
                scorer.ScoreTopK(qBuf, tq, request, (i, scores, indices) =>
                {
                    int query = q0 + i;
                    for (int r = 0; r < scores.Length; r++)
                    {
                        long index = g0 + blockRows[indices[r]];
                        if (excludeSelf && index == query) continue;
                        float score = rescore
                            ? TiledL2Score(qBuf.AsSpan(i * dim, dim), gBuf.AsSpan((int)indices[r] * dim, dim), similarity.Chunks)
                            : scores[r];
                        acc.Offer(query, score, index);
                    }
                }, unchanged);
                donePairs += (long)tq * tg;
                progress?.Invoke(donePairs, totalPairs);
            }
        }
        var result = acc.ToResult();
        foreach (long q in badQueries)
        {
            result.Scores.AsSpan((int)q * k, k).Fill(float.NaN);
            result.Indices.AsSpan((int)q * k, k).Fill(-1);
        }
        return result with { NonFiniteQueries = badQueries, NonFiniteGallery = badGallery };
    }

    internal static void Check(IVectorSource queries, IVectorSource gallery)
    {
        if (queries.Dimension != gallery.Dimension)
            throw new InputDataException($"dimension mismatch: queries {queries.Description} have {queries.Dimension}, gallery {gallery.Description} has {gallery.Dimension}");
        if (queries.Count == 0) throw new InputDataException($"{queries.Description}: no query vectors");
        if (gallery.Count == 0) throw new InputDataException($"{gallery.Description}: empty gallery");
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
        ComputeDevice device = ComputeDevice.Cpu, Action<long, long>? progress = null, long memoryBudgetBytes = SearchMemory.DefaultBudgetBytes) =>
        Search(gallery, gallery, similarity, k, device, excludeSelf: true, progress, memoryBudgetBytes);
}
