namespace Replication.Search;

/// <summary>
/// The k best gallery rows for each query, best first: <c>Scores[q * K + r]</c> and <c>Indices[q * K + r]</c>.
/// Where a gallery had fewer than K rows, the tail of a query's row holds index -1 and score NaN.
/// </summary>
public sealed record SearchResult(int Queries, int K, float[] Scores, long[] Indices)
{
    /// <summary>Query rows with NaN or infinite values: they got no matches (index -1, score NaN).</summary>
    public IReadOnlyList<long> NonFiniteQueries { get; init; } = [];

    /// <summary>Gallery rows with NaN or infinite values: never matched.</summary>
    public IReadOnlyList<long> NonFiniteGallery { get; init; } = [];

    public ReadOnlySpan<float> ScoresOf(int query) => Scores.AsSpan(query * K, K);
    public ReadOnlySpan<long> IndicesOf(int query) => Indices.AsSpan(query * K, K);

    /// <summary>Best score of each query (NaN where the gallery was empty).</summary>
    public float[] TopScores()
    {
        var top = new float[Queries];
        for (int q = 0; q < Queries; q++) top[q] = Scores[q * K];
        return top;
    }
}
