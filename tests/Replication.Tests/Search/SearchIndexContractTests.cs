using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Embeddings.Store;
using Replication.Search;
using Replication.Search.Approximate;
using Replication.Search.Store;
using Replication.Tests.Embeddings.Store;

namespace Replication.Tests.Search;

/// <summary>One contract, three searches: exact, staged over a sharded store, and approximate (HNSW) answer the same calls with
/// the same result type; the staged search equals the exact one; HNSW finds nearly all of the exact matches.</summary>
public class SearchIndexContractTests
{
    [Fact]
    public void ExactStagedAndApproximateSearchAnswerTheSameContract()
    {
        var (_, shards) = StoreFixtures.NoiseShards(60, 20, size: 64);
        string store = Path.Combine(Fixtures.TempFolder(), "store");
        using (var extractor = FeatureExtractor.Open("pixels"))
            StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, ShardSelection.All, 16);
        using var opened = EmbeddingStore.Open(store);
        int n = (int)opened.Count, dim = opened.Dimension;
        var all = new float[n * dim];
        opened.ReadRows(0, n, all);
        var gallery = new InMemoryVectors(all, dim);
        var queries = new InMemoryVectors(all[..(10 * dim)], dim); // the first 10 store rows as queries
        string hnsw = Path.Combine(Fixtures.TempFolder(), "hnsw");
        HnswIndex.Build(gallery, hnsw);
        using var graph = HnswIndex.Open(hnsw, gallery);
        ISearchIndex[] indexes =
        [
            new ExactIndex(gallery, Similarity.InnerProduct),
            new StoreIndex(store, Path.Combine(Fixtures.TempFolder(), "work"), Similarity.InnerProduct),
            new HnswSearchIndex(graph),
        ];
        var exclude = Enumerable.Range(0, 10).Select(i => (long)i).ToArray(); // each query's own row
        var results = new List<(SearchResult Plain, SearchResult Excluding)>();
        foreach (var index in indexes)
        {
            Assert.Equal((60L, dim), (index.Count, index.Dimension));
            var plain = index.Search(queries, 5);
            var excluding = index.Search(queries, 5, exclude);
            foreach (var r in new[] { plain, excluding })
            {
                Assert.Equal((10, 5), (r.Queries, r.K));
                for (int q = 0; q < 10; q++)
                    for (int j = 1; j < 5; j++) Assert.True(r.ScoresOf(q)[j] <= r.ScoresOf(q)[j - 1] + 1e-6f, index.GetType().Name);
            }
            for (int q = 0; q < 10; q++)
            {
                Assert.Equal(q, plain.IndicesOf(q)[0]);                       // a query's own row is its best match
                Assert.DoesNotContain((long)q, excluding.IndicesOf(q).ToArray()); // and left out when excluded
            }
            results.Add((plain, excluding));
        }
        // the staged search is exact: the same rows and scores
        Assert.Equal(results[0].Plain.Indices, results[1].Plain.Indices);
        Assert.Equal(results[0].Excluding.Indices, results[1].Excluding.Indices);
        for (int i = 0; i < results[0].Plain.Scores.Length; i++) Assert.Equal(results[0].Plain.Scores[i], results[1].Plain.Scores[i], 5);
        // the approximate search finds (nearly) the exact top 5 on 60 rows
        double recall = Recall.At(results[2].Excluding, results[0].Excluding, 5);
        Assert.True(recall >= 0.9, $"HNSW recall@5 {recall}");
    }
}
