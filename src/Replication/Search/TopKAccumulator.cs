namespace Replication.Search;

/// <summary>
/// Keeps the k best (score, index) pairs of each query while gallery blocks stream past. Equal scores rank the
/// lower gallery index first, as a stable sort of the full score row would, whatever order they are offered in.
/// </summary>
public sealed class TopKAccumulator
{
    private readonly float[] _scores;
    private readonly long[] _indices;
    private readonly int[] _counts;

    public TopKAccumulator(int queries, int k)
    {
        Queries = queries;
        K = k;
        _scores = new float[queries * k];
        _indices = new long[queries * k];
        _counts = new int[queries];
        Array.Fill(_scores, float.NaN);
        Array.Fill(_indices, -1L);
    }

    public int Queries { get; }
    public int K { get; }

    /// <summary>Offers one candidate.</summary>
    public void Offer(int query, float score, long index)
    {
        int baseOffset = query * K;
        int count = _counts[query];
        if (count == K && !Better(score, index, _scores[baseOffset + K - 1], _indices[baseOffset + K - 1]))
            return;
        int pos = count < K ? count : K - 1;
        while (pos > 0 && Better(score, index, _scores[baseOffset + pos - 1], _indices[baseOffset + pos - 1]))
        {
            _scores[baseOffset + pos] = _scores[baseOffset + pos - 1];
            _indices[baseOffset + pos] = _indices[baseOffset + pos - 1];
            pos--;
        }
        _scores[baseOffset + pos] = score;
        _indices[baseOffset + pos] = index;
        if (count < K) _counts[query] = count + 1;
    }

    private static bool Better(float score, long index, float otherScore, long otherIndex) =>
        score > otherScore || (score == otherScore && index < otherIndex);

    public SearchResult ToResult() => new(Queries, K, (float[])_scores.Clone(), (long[])_indices.Clone());
}
