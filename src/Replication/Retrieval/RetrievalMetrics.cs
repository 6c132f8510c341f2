namespace Replication.Retrieval;

/// <summary>
/// Retrieval metrics exactly as the reference code computes them.
/// <list type="bullet">
/// <item><b>AP</b> (revisitop / DINO <c>compute_ap</c>): junk rows are removed from the ranking, then for the j-th
/// positive (0-based) at rank r, AP += (P₀ + P₁)/2 · 1/n with P₀ = j/r (1 when r = 0) and P₁ = (j+1)/(r+1), n = number
/// of positives (a trapezoid under the precision-recall curve). Positives that were not retrieved add nothing.</item>
/// <item><b>P@k / R@k</b>: positives among the first k non-junk results, over k / over all positives.</item>
/// <item><b>MRR</b>: 1/(1 + rank of the first positive) after junk removal, 0 when none is retrieved.</item>
/// <item><b>µAP</b> (DISC 2021): all (query, match, score) predictions except junk pooled and sorted by score (ties: query,
/// then rank); µAP = Σ over correct predictions of precision at that point, divided by the number of (query, positive) pairs.</item>
/// </list>
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>The revisitop trapezoid AP of positives at the given 0-based ranks (ascending), with n positives in all.</summary>
    public static double AveragePrecision(IReadOnlyList<int> positiveRanks, int positives)
    {
        if (positives <= 0) return double.NaN;
        double ap = 0, step = 1.0 / positives;
        for (int j = 0; j < positiveRanks.Count; j++)
        {
            int rank = positiveRanks[j];
            double p0 = rank == 0 ? 1.0 : (double)j / rank;
            double p1 = (double)(j + 1) / (rank + 1);
            ap += (p0 + p1) * step / 2.0;
        }
        return ap;
    }

    /// <summary>0-based ranks of the positives in a result list after junk rows are taken out.</summary>
    public static List<int> PositiveRanks(long[] ranked, QueryGroundTruth truth)
    {
        var ok = truth.Ok.ToHashSet();
        var junk = truth.Junk.ToHashSet();
        var ranks = new List<int>();
        int rank = 0;
        foreach (var g in ranked)
        {
            if (junk.Contains(g) && !ok.Contains(g)) continue;
            if (ok.Contains(g)) ranks.Add(rank);
            rank++;
        }
        return ranks;
    }

    public static RetrievalScores Evaluate(IReadOnlyList<RankedList> results, IReadOnlyList<QueryGroundTruth> truth, IReadOnlyList<int>? ks = null)
    {
        ks ??= [1, 5, 10];
        var byQuery = results.ToDictionary(r => r.Query);
        var aps = new List<double>();
        double rr = 0;
        var precision = ks.ToDictionary(k => k, _ => 0.0);
        var recall = ks.ToDictionary(k => k, _ => 0.0);
        int counted = 0;
        var pooled = new List<(float Score, int Query, int Rank, bool Correct)>();
        int positivePairs = 0;
        foreach (var t in truth)
        {
            var ranked = byQuery.TryGetValue(t.Query, out var r) ? r : new RankedList(t.Query, [], []);
            var ok = t.Ok.ToHashSet();
            var junk = t.Junk.ToHashSet();
            for (int i = 0; i < ranked.Gallery.Length; i++)
            {
                var g = ranked.Gallery[i];
                if (junk.Contains(g) && !ok.Contains(g)) continue;
                pooled.Add((ranked.Scores[i], t.Query, i, ok.Contains(g)));
            }
            if (ok.Count == 0) { aps.Add(double.NaN); continue; }
            positivePairs += ok.Count;
            counted++;
            var ranks = PositiveRanks(ranked.Gallery, t);
            aps.Add(AveragePrecision(ranks, ok.Count));
            rr += ranks.Count > 0 ? 1.0 / (ranks[0] + 1) : 0;
            foreach (var k in ks)
            {
                int hits = ranks.Count(x => x < k);
                precision[k] += (double)hits / k;
                recall[k] += (double)hits / ok.Count;
            }
        }
        double micro = MicroAveragePrecision(pooled, positivePairs);
        return new RetrievalScores(truth.Count, counted,
            counted == 0 ? double.NaN : aps.Where(a => !double.IsNaN(a)).Sum() / counted,
            micro,
            counted == 0 ? double.NaN : rr / counted,
            ks.ToDictionary(k => k, k => counted == 0 ? double.NaN : precision[k] / counted),
            ks.ToDictionary(k => k, k => counted == 0 ? double.NaN : recall[k] / counted),
            aps);
    }

    private static double MicroAveragePrecision(List<(float Score, int Query, int Rank, bool Correct)> predictions, int positivePairs)
    {
        if (positivePairs == 0) return double.NaN;
        var sorted = predictions.OrderByDescending(p => p.Score).ThenBy(p => p.Query).ThenBy(p => p.Rank).ToList();
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
