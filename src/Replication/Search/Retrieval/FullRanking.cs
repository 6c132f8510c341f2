using Replication.Core.Compute;
using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Search.Retrieval;

/// <summary>
/// Positions of each query's positives and junk rows in its ranking of the <i>whole</i> gallery, as the official evaluation
/// ranks it, without storing the ranking: query tiles are scored against every gallery block into one row of scores per
/// query (memory: tile × gallery floats within the budget), and each relevant row's position is counted from that row.
/// Tie policy: equal scores rank the lower gallery index first (a stable sort of the score row, the order
/// <see cref="TopKAccumulator"/> keeps too). The query's own row is not excluded: a gallery that contains the queries lists
/// them as junk, as the protocols do.
/// </summary>
public static class FullRanking
{
    public static IReadOnlyList<QueryRanking> Rank(IVectorSource queries, IVectorSource gallery, Similarity similarity,
        IReadOnlyList<QueryGroundTruth> truth, ComputeDevice device = ComputeDevice.Cpu, long memoryBudgetBytes = SearchMemory.DefaultBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(truth);
        ExactSearch.Check(queries, gallery);
        int dim = queries.Dimension;
        similarity.Validate(dim);
        int nq = checked((int)queries.Count);
        long ng = gallery.Count;
        if (ng * sizeof(float) > memoryBudgetBytes / 2)
            throw new ParameterException("SearchMemory", $"a full ranking of {ng} gallery rows needs at least {ng * 8} bytes of memory budget");
        var byQuery = new Dictionary<int, QueryGroundTruth>();
        foreach (var t in truth)
        {
            if (t.Query < 0 || t.Query >= nq) throw new InputDataException($"ground truth names query {t.Query}, but there are {nq} queries");
            foreach (var g in t.Ok.Concat(t.Junk))
                if (g < 0 || g >= ng) throw new InputDataException($"ground truth of query {t.Query} names gallery row {g}, but the gallery has {ng} rows");
            byQuery[t.Query] = t;
        }
        // rows of scores: half the budget; the search buffers (gallery block, query tile) the other half
        int tile = (int)Math.Clamp(memoryBudgetBytes / 2 / (ng * sizeof(float)), 1, Math.Min(nq, 1024));
        tile = (int)Math.Max(1, Math.Min(tile, Array.MaxLength / ng));  // one array of tile × gallery floats
        var (qTile, block) = SearchMemory.TileSizes(tile, ng, dim, similarity, Math.Max(memoryBudgetBytes / 2, SearchMemory.MinimumBudgetBytes));
        tile = Math.Min(tile, qTile);
        var rows = new float[(long)tile * ng];
        var qBuf = new float[(long)tile * dim];
        var gBuf = new float[(long)block * dim];
        var result = new QueryRanking[nq];
        using var scorer = new OrtBlockScorer(dim, similarity, device, topK: false);
        for (int q0 = 0; q0 < nq; q0 += tile)
        {
            int tq = Math.Min(tile, nq - q0);
            queries.ReadRows(q0, tq, qBuf);
            similarity.Prepare(qBuf.AsSpan(0, tq * dim), dim);
            for (long g0 = 0; g0 < ng; g0 += block)
            {
                int tg = (int)Math.Min(block, ng - g0);
                gallery.ReadRows(g0, tg, gBuf);
                similarity.Prepare(gBuf.AsSpan(0, tg * dim), dim);
                scorer.SetGallery(gBuf, tg);
                scorer.ScoreAll(qBuf, tq, (i, scores) => scores.CopyTo(rows.AsSpan(checked((int)(i * ng + g0)), tg)));
            }
            Parallel.For(0, tq, i =>
            {
                int query = q0 + i;
                result[query] = byQuery.TryGetValue(query, out var t)
                    ? Positions(rows.AsSpan(checked((int)(i * ng)), (int)ng), t)
                    : new QueryRanking(query, [], [], 0);
            });
        }
        return result;
    }

    /// <summary>The 0-based positions of the truth's positive and junk rows in the stable descending order of <paramref name="row"/>.</summary>
    public static QueryRanking Positions(ReadOnlySpan<float> row, QueryGroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        var relevant = truth.Ok.Concat(truth.Junk).Distinct().ToArray();
        // a NaN score (a broken embedding) ranks last
        var keys = new float[relevant.Length];
        for (int j = 0; j < relevant.Length; j++) keys[j] = float.IsNaN(row[(int)relevant[j]]) ? float.NegativeInfinity : row[(int)relevant[j]];
        var order = Enumerable.Range(0, relevant.Length).OrderBy(j => keys[j]).ThenBy(j => relevant[j]).ToArray();
        var byScore = order.Select(j => relevant[j]).ToArray();
        var thresholds = order.Select(j => keys[j]).ToArray();
        // above[j]: gallery rows scoring strictly above relevant row j (ascending by score); ties counted separately
        var diff = new long[byScore.Length + 1];
        var tiesBefore = new long[byScore.Length];
        for (int g = 0; g < row.Length; g++)
        {
            float v = float.IsNaN(row[g]) ? float.NegativeInfinity : row[g];
            int lower = LowerBound(thresholds, v);
            if (lower > 0) { diff[0]++; diff[lower]--; }
            for (int j = lower; j < thresholds.Length && thresholds[j] == v; j++)
                if (g < byScore[j]) tiesBefore[j]++;
        }
        var position = new Dictionary<long, long>(byScore.Length);
        long running = 0;
        for (int j = 0; j < byScore.Length; j++)
        {
            running += diff[j];
            position[byScore[j]] = running + tiesBefore[j];
        }
        var ok = truth.Ok.Distinct().Select(g => position[g]).Order().ToArray();
        var junk = truth.Junk.Distinct().Select(g => position[g]).Order().ToArray();
        return new QueryRanking(truth.Query, ok, junk, 0);
    }

    /// <summary>First index whose value is ≥ <paramref name="v"/> in an ascending array.</summary>
    private static int LowerBound(float[] sorted, float v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
