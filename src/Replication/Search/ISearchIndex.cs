using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Search;

/// <summary>
/// The one search contract, in the spirit of faiss's <c>Index</c>: a gallery of <see cref="Count"/> rows of <see cref="Dimension"/>
/// values scored by <see cref="Similarity"/>, searched for each query's <c>k</c> best rows, best first, in one result type
/// (<see cref="SearchResult"/>). Exact (<see cref="ExactIndex"/>), staged over a sharded store (<c>Store.StoreIndex</c>,
/// persisted and resumable) and approximate (<c>Approximate.HnswSearchIndex</c>) search all implement it, so a caller (or a test)
/// can swap one for another.
/// </summary>
public interface ISearchIndex
{
    long Count { get; }
    int Dimension { get; }
    Similarity Similarity { get; }

    /// <summary>Each query's <paramref name="k"/> best gallery rows. <paramref name="exclude"/>, when given, names per query one
    /// gallery row to leave out (its own row, say), or -1 for none.</summary>
    SearchResult Search(IVectorSource queries, int k, long[]? exclude = null);
}
