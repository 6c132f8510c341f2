namespace Replication.Search.Approximate;

/// <summary>
/// Recall@k of an approximate search against the exact one on the same queries: per query, the share of exact search's top
/// min(k, rows found) that the approximate top-k holds, averaged over the queries exact search found anything for. A returned
/// row counts when exact search ranks it in its top k, or when its score ties the exact k-th score within
/// <c>tolerance</c> (exact ties, e.g. duplicated images, may be ordered either way: either row is a right answer).
/// Recall@1 is thus the share of queries whose approximate best match is an exact best match.
/// </summary>
public static class Recall
{
    /// <summary>Scores closer than this are ties (the index and the exact search round sums differently in the last bits).</summary>
    public const float DefaultTolerance = 1e-5f;

    /// <param name="approximate">Results of the approximate search, one row per query, at least k columns.</param>
    /// <param name="exact">Results of exact search on the same queries in the same order, at least k columns.</param>
    public static double At(SearchResult approximate, SearchResult exact, int k, float tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(approximate);
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (approximate.Queries != exact.Queries)
            throw new ArgumentException($"{approximate.Queries} approximate results for {exact.Queries} exact ones: not the same queries", nameof(approximate));
        if (approximate.K < k || exact.K < k)
            throw new ArgumentException($"recall@{k} needs at least {k} results per query (approximate {approximate.K}, exact {exact.K})", nameof(k));
        double sum = 0;
        int measured = 0;
        for (int q = 0; q < exact.Queries; q++)
        {
            var truthIds = exact.IndicesOf(q)[..k];
            var truthScores = exact.ScoresOf(q)[..k];
            int found = 0;
            while (found < k && truthIds[found] >= 0) found++;
            if (found == 0) continue; // nothing to recall (a non-finite query, an empty gallery)
            float last = truthScores[found - 1];
            var truth = new HashSet<long>(truthIds[..found].ToArray());
            var ids = approximate.IndicesOf(q)[..k];
            var scores = approximate.ScoresOf(q)[..k];
            int hits = 0;
            for (int r = 0; r < k; r++)
                if (ids[r] >= 0 && (truth.Contains(ids[r]) || scores[r] >= last - tolerance))
                    hits++;
            sum += Math.Min(1.0, (double)hits / found);
            measured++;
        }
        return measured == 0 ? double.NaN : sum / measured;
    }
}
