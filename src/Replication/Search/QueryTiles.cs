using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Search;

/// <summary>
/// Prepared query rows by tile for a search that loops over gallery blocks outside and query tiles inside: all queries
/// are read and prepared once when they fit a quarter of the memory budget, otherwise each tile is read again per block.
/// </summary>
internal sealed class QueryTiles
{
    private readonly IVectorSource _queries;
    private readonly Similarity _similarity;
    private readonly float[]? _all;
    private readonly float[] _tile;

    public QueryTiles(IVectorSource queries, Similarity similarity, int tile, long budgetBytes)
    {
        _queries = queries;
        _similarity = similarity;
        int dim = queries.Dimension;
        long allFloats = queries.Count * dim;
        if (allFloats * sizeof(float) <= budgetBytes / 4 && allFloats <= Array.MaxLength)
        {
            _all = new float[allFloats];
            queries.ReadRows(0, (int)queries.Count, _all);
            similarity.Prepare(_all, dim);
        }
        _tile = new float[(long)tile * dim];
    }

    /// <summary>Rows <paramref name="start"/>..+<paramref name="count"/>, prepared, from index 0 of the returned buffer (not to be
    /// written to: it may be the cache itself).</summary>
    public float[] Get(int start, int count)
    {
        int dim = _queries.Dimension;
        if (_all != null)
        {
            if (start == 0 && count == _queries.Count) return _all;
            _all.AsSpan(start * dim, count * dim).CopyTo(_tile);
            return _tile;
        }
        _queries.ReadRows(start, count, _tile);
        _similarity.Prepare(_tile.AsSpan(0, count * dim), dim);
        return _tile;
    }
}
