using Replication.Analyses.Benchmark;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Core.Formats;

namespace Replication.Tests.Analyses.Benchmark;

public class SyntheticStoreTests
{
    private static readonly SyntheticStore.Parameters Tiny = new(2003, 5, 64, Seed: 7);

    [Fact]
    public void IsAValidStoreAndTheSameBytesForTheSameParameters()
    {
        var root = Fixtures.TempFolder();
        string a = Path.Combine(root, "a"), b = Path.Combine(root, "b");
        var (manifest, reused) = SyntheticStore.Write(a, Tiny);
        Assert.False(reused);
        SyntheticStore.Write(b, Tiny);

        using (var store = EmbeddingStore.Open(a))
        {
            Assert.Equal(2003, store.Count);
            Assert.Equal(64, store.Dimension);
            Assert.Equal(5, store.Manifest.Shards.Count);
            // 2003 = 5 × 400 + 3: the first three shards hold one more row, first rows follow on
            Assert.Equal([401L, 401, 401, 400, 400], store.Manifest.Shards.Select(s => s.Rows));
            Assert.Equal([0L, 401, 802, 1203, 1603], store.Manifest.Shards.Select(s => s.FirstRow));
            Assert.Equal("000000001203", store.Row(1203).Key);
            var rows = new float[3 * 64];
            store.ReadRows(400, 3, rows); // across a shard boundary
            for (int r = 0; r < 3; r++)
                Assert.Equal(1.0, Math.Sqrt(rows.Skip(r * 64).Take(64).Sum(v => (double)v * v)), 4);
        }
        foreach (var shard in manifest.Shards)
        {
            string va = Path.Combine(StoreFiles.ShardFolder(a, shard.Index), StoreFiles.Vectors);
            Assert.Equal(shard.VectorsSha256, EmbeddingFiles.Sha256Of(va));
            Assert.Equal(File.ReadAllBytes(va), File.ReadAllBytes(Path.Combine(StoreFiles.ShardFolder(b, shard.Index), StoreFiles.Vectors)));
            Assert.True(File.Exists(Path.Combine(StoreFiles.ShardFolder(a, shard.Index), StoreFiles.Done)));
        }
        Assert.Equal(File.ReadAllText(Path.Combine(a, StoreFiles.Manifest)), File.ReadAllText(Path.Combine(b, StoreFiles.Manifest)));
        // complete for these parameters: reused; other parameters: written again
        Assert.True(SyntheticStore.Write(a, Tiny).Reused);
        Assert.False(SyntheticStore.IsComplete(a, Tiny with { Seed = 8 }));
        var (other, again) = SyntheticStore.Write(a, Tiny with { Rows = 1000 });
        Assert.False(again);
        Assert.Equal(1000, other.Rows);
    }

    [Fact]
    public void AViewSearchesTheFirstShardsAsAStore()
    {
        var root = Fixtures.TempFolder();
        string full = Path.Combine(root, "store"), view = Path.Combine(root, "view"), queries = Path.Combine(root, "q.npy");
        SyntheticStore.Write(full, Tiny);
        SyntheticStore.WriteQueries(queries, 20, 64, seed: 2);
        var manifest = SyntheticStore.WriteView(full, view, 2);
        Assert.Equal(802, manifest.Rows);
        var staged = StoreSearch.Run(queries, view, Path.Combine(root, "out"), new StoreSearchSettings(Similarity.InnerProduct, 5, []));
        using var q = NpyMatrix.Open(queries);
        using var store = EmbeddingStore.Open(full);
        var rows = new float[802 * 64];
        store.ReadRows(0, 802, rows);
        var exact = ExactSearch.Search(q, new InMemoryVectors(rows, 64), Similarity.InnerProduct, 5);
        Assert.Equal(exact.Indices, staged.Matches.Indices);
        Directory.Delete(view, true); // the link goes, the shards stay
        Assert.True(File.Exists(Path.Combine(StoreFiles.ShardFolder(full, 0), StoreFiles.Vectors)));
    }
}
