using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Search.Approximate;

/// <summary><see cref="ISearchIndex"/> through an HNSW graph (<see cref="HnswIndex"/>): approximate; <see cref="ApproximateSearch"/>
/// measures its recall against <see cref="ExactIndex"/>.</summary>
public sealed class HnswSearchIndex(HnswIndex index, int expansionSearch = HnswSettings.DefaultExpansionSearch) : ISearchIndex
{
    private readonly HnswIndex _index = index ?? throw new ArgumentNullException(nameof(index));

    public long Count => _index.Info.Rows;
    public int Dimension => _index.Info.Dimension;
    public Similarity Similarity => Similarity.Parse(_index.Info.Similarity, 1);

    public SearchResult Search(IVectorSource queries, int k, long[]? exclude = null) => _index.Search(queries, k, expansionSearch, exclude);
}
