namespace Replication.Search.Retrieval;

/// <summary>
/// Retrieval metrics as the paper's official code computes them (DCR <c>utils_ret.py</c>: <c>compute_ap</c> and
/// <c>compute_map</c>, taken from revisitop via DINO), from the positions of each query's positives and junk rows in its
/// full ranking of the gallery (<see cref="QueryRanking"/>).
/// <list type="bullet">
/// <item><b>AP</b>: each positive's position is lowered by the number of junk rows ranked before it; then for the j-th
/// positive (0-based) at position r, AP += (P₀ + P₁)/2 · 1/n with P₀ = j/r (1 when r = 0) and P₁ = (j+1)/(r+1), n = number
/// of positives (a trapezoid under the precision-recall curve).</item>
/// <item><b>revisitop P@k</b>: with 1-based junk-free positions p, kq = min(max p, k) and P@k = |{p ≤ kq}| / kq (the cut-off
/// never passes the last positive).</item>
/// <item><b>R@k</b> (DCR's addition): |{p ≤ k}| / n.</item>
/// <item><b>DCR MRR</b> (DCR's addition): 1/(1 + first positive's position <i>before</i> junk removal), summed over the queries
/// with positives and divided by all queries.</item>
/// <item><b>Textbook P@k and MRR</b> (not the official code's): positives among the first k junk-free rows over k; 1/(1 + first
/// junk-free position), averaged over the queries with positives.</item>
/// <item><b>µAP</b> (DISC 2021; DCR's own <c>micro_average_precision</c> is not usable): every (query, match, score) prediction
/// except junk, at most <c>cap</c> per query, pooled and sorted by score (ties: query, then rank); µAP = Σ over correct
/// predictions of precision at that point / number of (query, positive) pairs.</item>
/// </list>
/// Queries without positives are left out of every average except DCR MRR's denominator, as in the official code.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>Predictions per query pooled into µAP.</summary>
    public const int DefaultMicroApCap = 100;

    /// <summary>The revisitop trapezoid AP of positives at the given 0-based junk-free positions (ascending), with n positives in all.</summary>
    public static double AveragePrecision(IReadOnlyList<long> positions, int positives)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positives <= 0) return double.NaN;
        double ap = 0, step = 1.0 / positives;
        for (int j = 0; j < positions.Count; j++)
        {
            long rank = positions[j];
            double p0 = rank == 0 ? 1.0 : (double)j / rank;
            double p1 = (double)(j + 1) / (rank + 1);
            ap += (p0 + p1) * step / 2.0;
        }
        return ap;
    }

    /// <summary>Positives' positions lowered by the junk ranked strictly before each (the official code's loop).</summary>
    public static long[] WithoutJunk(IReadOnlyList<long> positives, IReadOnlyList<long> junk)
    {
        var result = new long[positives.Count];
        int ij = 0;
        for (int ip = 0; ip < positives.Count; ip++)
        {
            while (ij < junk.Count && positives[ip] > junk[ij]) ij++;
            result[ip] = positives[ip] - ij;
        }
        return result;
    }

    /// <summary>0-based junk-free positions of the positives in a ranked list.</summary>
    public static long[] PositiveRanks(long[] ranked, QueryGroundTruth truth)
    {
        var r = QueryRanking.FromList(new RankedList(truth.Query, ranked, new float[ranked.Length]), truth);
        return WithoutJunk(r.Positives, r.Junk);
    }

    /// <summary>Metrics of (possibly truncated) ranked lists, e.g. a search CSV: exact for every query whose positives are all listed.</summary>
    public static RetrievalScores Evaluate(IReadOnlyList<RankedList> results, IReadOnlyList<QueryGroundTruth> truth, IReadOnlyList<int>? ks = null,
        int microApCap = DefaultMicroApCap)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(truth);
        var byQuery = new Dictionary<int, RankedList>();
        foreach (var r in results) byQuery[r.Query] = r;
        var rankings = truth.Select(t => QueryRanking.FromList(byQuery.TryGetValue(t.Query, out var r) ? r : new RankedList(t.Query, [], []), t)).ToList();
        return Evaluate(rankings, truth, results, ks, microApCap);
    }

    /// <summary>Metrics from full-ranking positions (<see cref="FullRanking"/>), with µAP from the capped ranked lists.</summary>
    public static RetrievalScores Evaluate(IReadOnlyList<QueryRanking> rankings, IReadOnlyList<QueryGroundTruth> truth,
        IReadOnlyList<RankedList> predictions, IReadOnlyList<int>? ks = null, int microApCap = DefaultMicroApCap)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(microApCap);
        ks ??= [1, 5, 10];
        foreach (var k in ks) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var rankingOf = new Dictionary<int, QueryRanking>();
        foreach (var r in rankings) rankingOf[r.Query] = r;
        var aps = new List<double>(truth.Count);
        double dcrRr = 0, rr = 0;
        var revisitop = ks.Distinct().ToDictionary(k => k, _ => 0.0);
        var precision = ks.Distinct().ToDictionary(k => k, _ => 0.0);
        var recall = ks.Distinct().ToDictionary(k => k, _ => 0.0);
        int counted = 0, missing = 0;
        foreach (var t in truth)
        {
            int positives = t.Ok.Distinct().Count();
            if (positives == 0) { aps.Add(double.NaN); continue; }
            counted++;
            var ranking = rankingOf.TryGetValue(t.Query, out var found) ? found : new QueryRanking(t.Query, [], [], positives);
            if (ranking.MissingPositives > 0) missing++;
            var pos = ranking.Positives;
            if (pos.Length > 0) dcrRr += 1.0 / (pos[0] + 1);
            var clean = WithoutJunk(pos, ranking.Junk);
            aps.Add(AveragePrecision(clean, positives));
            if (clean.Length > 0) rr += 1.0 / (clean[0] + 1);
            foreach (var k in revisitop.Keys)
            {
                int hits = clean.Count(p => p < k);
                if (clean.Length > 0)
                {
                    // the cut-off stops at the last positive of the whole ranking; with positives missing from a truncated
                    // list that one lies beyond the list, so kq = k (exact when the list holds k rows, a lower bound otherwise)
                    long kq = ranking.MissingPositives > 0 ? k : Math.Min(clean[^1] + 1, k);
                    revisitop[k] += (double)clean.Count(p => p + 1 <= kq) / kq;
                }
                precision[k] += (double)hits / k;
                recall[k] += (double)hits / positives;
            }
        }
        double Mean(double sum) => counted == 0 ? double.NaN : sum / counted;
        return new RetrievalScores(truth.Count, counted,
            Mean(aps.Where(a => !double.IsNaN(a)).Sum()),
            MicroAveragePrecision(predictions, truth, microApCap), microApCap,
            truth.Count == 0 || counted == 0 ? double.NaN : dcrRr / truth.Count,
            Mean(rr),
            revisitop.ToDictionary(p => p.Key, p => Mean(p.Value)),
            precision.ToDictionary(p => p.Key, p => Mean(p.Value)),
            recall.ToDictionary(p => p.Key, p => Mean(p.Value)),
            aps, missing);
    }

    private static double MicroAveragePrecision(IReadOnlyList<RankedList> lists, IReadOnlyList<QueryGroundTruth> truth, int cap)
    {
        var byQuery = new Dictionary<int, RankedList>();
        foreach (var r in lists) byQuery[r.Query] = r;
        var pooled = new List<(float Score, int Query, int Rank, bool Correct)>();
        int positivePairs = 0;
        foreach (var t in truth)
        {
            var ok = t.Ok.ToHashSet();
            positivePairs += ok.Count;
            if (!byQuery.TryGetValue(t.Query, out var ranked)) continue;
            var junk = t.Junk.ToHashSet();
            int taken = 0;
            for (int i = 0; i < ranked.Gallery.Length && taken < cap; i++)
            {
                var g = ranked.Gallery[i];
                if (junk.Contains(g) && !ok.Contains(g)) continue;
                pooled.Add((ranked.Scores[i], t.Query, i, ok.Contains(g)));
                taken++;
            }
        }
        if (positivePairs == 0) return double.NaN;
        var sorted = pooled.OrderByDescending(p => p.Score).ThenBy(p => p.Query).ThenBy(p => p.Rank).ToList();
        double sum = 0;
        int tp = 0;
        for (int i = 0; i < sorted.Count; i++)
        {
            if (!sorted[i].Correct) continue;
            tp++;
            sum += (double)tp / (i + 1);
        }
        return sum / positivePairs;
    }
}
