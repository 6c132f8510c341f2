namespace Replication.Search.Approximate;

/// <summary>
/// How much of exact search's answer an approximate search found, on the same queries: recall@1 and recall@10 (see
/// <see cref="Recall.At"/>), measured on <paramref name="QueriesMeasured"/> of <paramref name="Queries"/> queries
/// (all of them, or a seeded sample when exact search on all would cost what the index saves).
/// </summary>
public sealed record RecallReport(int Queries, int QueriesMeasured, double RecallAt1, double RecallAt10, double ExactSeconds);
