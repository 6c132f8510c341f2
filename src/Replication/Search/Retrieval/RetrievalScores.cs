namespace Replication.Search.Retrieval;

/// <summary>
/// Retrieval quality over a set of queries, under the official code's names and definitions (revisitop's
/// <c>compute_map</c> as extended in DCR's <c>utils_ret.py</c>) and, under distinct names, the textbook ones.
/// <list type="bullet">
/// <item><see cref="MeanAveragePrecision"/>, <see cref="RevisitopPrecisionAt"/>, <see cref="RecallAt"/>,
/// <see cref="PrecisionAt"/> and <see cref="MeanReciprocalRank"/> average over the queries with at least one positive.</item>
/// <item><see cref="DcrMeanReciprocalRank"/> sums 1/(1 + first positive's position before junk removal) and divides by
/// all queries, those without positives included, as the official code does.</item>
/// <item><see cref="MicroAveragePrecision"/> pools each query's first <see cref="MicroApCap"/> predictions (DISC 2021).</item>
/// </list>
/// When <see cref="QueriesWithMissingPositives"/> is above 0 the ranking was truncated before some positives, and every
/// ranking metric is a lower bound (<see cref="IsLowerBound"/>).
/// </summary>
public sealed record RetrievalScores(
    int Queries,
    int QueriesWithPositives,
    double MeanAveragePrecision,
    double MicroAveragePrecision,
    int MicroApCap,
    double DcrMeanReciprocalRank,
    double MeanReciprocalRank,
    IReadOnlyDictionary<int, double> RevisitopPrecisionAt,
    IReadOnlyDictionary<int, double> PrecisionAt,
    IReadOnlyDictionary<int, double> RecallAt,
    IReadOnlyList<double> AveragePrecisionPerQuery,
    int QueriesWithMissingPositives)
{
    public bool IsLowerBound => QueriesWithMissingPositives > 0;
}
