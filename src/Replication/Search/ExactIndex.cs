using Replication.Core.Compute;
using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Search;

/// <summary><see cref="ISearchIndex"/> by exhaustive search (<see cref="ExactSearch"/>): the reference the others are measured against.</summary>
public sealed class ExactIndex(IVectorSource gallery, Similarity similarity, ComputeDevice device = ComputeDevice.Cpu,
    long memoryBudgetBytes = SearchMemory.DefaultBudgetBytes) : ISearchIndex
{
    private readonly IVectorSource _gallery = gallery ?? throw new ArgumentNullException(nameof(gallery));

    public long Count => _gallery.Count;
    public int Dimension => _gallery.Dimension;
    public Similarity Similarity { get; } = similarity ?? throw new ArgumentNullException(nameof(similarity));

    public SearchResult Search(IVectorSource queries, int k, long[]? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (exclude is null) return ExactSearch.Search(queries, _gallery, Similarity, k, device, memoryBudgetBytes: memoryBudgetBytes);
        if (exclude.Length != queries.Count) throw new InputDataException($"the exclusions give {exclude.Length} rows for {queries.Count} queries");
        // one more than asked, then the excluded row dropped: each query's list is its k best among the others
        var wide = ExactSearch.Search(queries, _gallery, Similarity, k + 1, device, memoryBudgetBytes: memoryBudgetBytes);
        var scores = new float[wide.Queries * k];
        var indices = new long[wide.Queries * k];
        for (int q = 0; q < wide.Queries; q++)
        {
            var s = wide.ScoresOf(q);
            var ix = wide.IndicesOf(q);
            int w = 0;
            for (int r = 0; r < wide.K && w < k; r++)
            {
                if (ix[r] >= 0 && ix[r] == exclude[q]) continue;
                scores[q * k + w] = s[r];
                indices[q * k + w] = ix[r];
                w++;
            }
            for (; w < k; w++) { scores[q * k + w] = float.NaN; indices[q * k + w] = -1; }
        }
        return new SearchResult(wide.Queries, k, scores, indices) { NonFiniteQueries = wide.NonFiniteQueries, NonFiniteGallery = wide.NonFiniteGallery };
    }
}
