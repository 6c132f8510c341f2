namespace Replication.Retrieval;

/// <summary>
/// Retrieval quality over a set of queries. <see cref="MeanAveragePrecision"/>, <see cref="MeanReciprocalRank"/>,
/// precision and recall at k average over the queries that have at least one positive; <see cref="MicroAveragePrecision"/>
/// pools every (query, match) prediction.
/// </summary>
public sealed record RetrievalScores(
    int Queries,
    int QueriesWithPositives,
    double MeanAveragePrecision,
    double MicroAveragePrecision,
    double MeanReciprocalRank,
    IReadOnlyDictionary<int, double> PrecisionAt,
    IReadOnlyDictionary<int, double> RecallAt,
    IReadOnlyList<double> AveragePrecisionPerQuery);
