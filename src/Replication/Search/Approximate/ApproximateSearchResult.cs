namespace Replication.Search.Approximate;

/// <summary>An approximate search's top-k (store rows, best first) and its recall against exact search on the same queries.</summary>
public sealed record ApproximateSearchResult(SearchResult Matches, RecallReport Recall, int ExpansionSearch, double SearchSeconds);
