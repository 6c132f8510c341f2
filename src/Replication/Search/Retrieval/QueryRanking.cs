namespace Replication.Search.Retrieval;

/// <summary>
/// Where one query's positives and junk rows sit in its ranking of the gallery: 0-based positions before junk removal,
/// ascending, exactly what the official <c>compute_map</c> derives from its full rank matrix. A row listed both as
/// positive and as junk appears in both lists, as it does there. <see cref="MissingPositives"/> counts positives absent
/// from a truncated ranking: metrics computed from such a query are lower bounds.
/// </summary>
public sealed record QueryRanking(int Query, long[] Positives, long[] Junk, int MissingPositives)
{
    /// <summary>Positions read off a (possibly truncated) ranked list. Junk beyond the list ranks after every listed row,
    /// so it cannot move a listed positive: the list is exact for this query when every positive is in it.</summary>
    public static QueryRanking FromList(RankedList list, QueryGroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(truth);
        var ok = truth.Ok.ToHashSet();
        var junk = truth.Junk.ToHashSet();
        var positives = new List<long>();
        var junkPositions = new List<long>();
        var seen = new HashSet<long>();
        for (int i = 0; i < list.Gallery.Length; i++)
        {
            long g = list.Gallery[i];
            if (ok.Contains(g) && seen.Add(g)) positives.Add(i);
            if (junk.Contains(g)) junkPositions.Add(i);
        }
        return new QueryRanking(truth.Query, positives.ToArray(), junkPositions.ToArray(), ok.Count - seen.Count);
    }
}
