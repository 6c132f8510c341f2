namespace Replication.Search.Store;

/// <summary>
/// The merged result of <see cref="StoreSearch.Run"/>: the global top-k (<c>long</c> store rows) of each query, and per query and
/// threshold the number of rows above it (<see cref="CountIsLowerBound"/> where a shard had more candidates above it than the cap).
/// </summary>
public sealed record StoreSearchResult(SearchResult Matches, IReadOnlyList<float> Thresholds, long[] Counts, bool[] CountIsLowerBound,
    int PartsComputed, int PartsReused)
{
    public long Count(int query, int threshold) => Counts[query * Thresholds.Count + threshold];
}
