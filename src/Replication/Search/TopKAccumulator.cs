namespace Replication.Search;

/// <summary>
/// Keeps the k best (score, index) pairs of each query while gallery blocks stream past. Ties keep the
/// lower gallery index first, as a stable sort of the full score row would.
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

    /// <summary>Offers one candidate. Candidates must arrive in increasing index order for ties to resolve to the lower index.</summary>
    public void Offer(int query, float score, long index)
    {
        int baseOffset = query * K;
        int count = _counts[query];
        if (count == K && !(score > _scores[baseOffset + K - 1]))
            return;
        int pos = count < K ? count : K - 1;
        while (pos > 0 && score > _scores[baseOffset + pos - 1])
        {
            _scores[baseOffset + pos] = _scores[baseOffset + pos - 1];
            _indices[baseOffset + pos] = _indices[baseOffset + pos - 1];
            pos--;
        }
        _scores[baseOffset + pos] = score;
        _indices[baseOffset + pos] = index;
        if (count < K) _counts[query] = count + 1;
    }

    public SearchResult ToResult() => new(Queries, K, (float[])_scores.Clone(), (long[])_indices.Clone());
}
