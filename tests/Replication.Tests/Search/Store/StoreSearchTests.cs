using Replication.Embeddings;
using Replication.Search;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Core.Formats;
using Replication.Tests.Embeddings.Store;

namespace Replication.Tests.Search.Store;

/// <summary>Search of a store as persisted stages (one part per gallery shard, then a merge) against one in-memory exact search.</summary>
public class StoreSearchTests
{
    private static (string Store, string Queries, float[] Vectors, long Rows, int Dim) Store()
    {
        var (_, shards) = StoreFixtures.NoiseShards(count: 30, perShard: 7, size: 96);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        using (var extractor = FeatureExtractor.Open("pixels"))
            StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, ShardSelection.All, batchSize: 4);
        using var opened = EmbeddingStore.Open(store);
        var all = new float[opened.Count * opened.Dimension];
        opened.ReadRows(0, (int)opened.Count, all);
        var queries = Path.Combine(Fixtures.TempFolder(), "queries.npy");
        NpyWriter.Write(queries, all, opened.Dimension); // the store's own rows as queries, each excluding itself
        return (store, queries, all, opened.Count, opened.Dimension);
    }

    [Fact]
    public void PartsMergedEqualOneExactSearchAndCarryTheMatchesMetadata()
    {
        var (store, queries, _, rows, _) = Store();
        var exclude = Enumerable.Range(0, (int)rows).Select(i => (long)i).ToArray();
        var outDir = Path.Combine(Fixtures.TempFolder(), "search");
        var result = StoreSearch.Run(queries, store, outDir, new StoreSearchSettings(Similarity.InnerProduct, 4, []), exclude);
        Assert.Equal(5, result.PartsComputed);
        using var opened = EmbeddingStore.Open(store);
        using var q = NpyMatrix.Open(queries);
        var reference = ExactSearch.Search(q, opened, Similarity.InnerProduct, 4, excludeSelf: true);
        Assert.Equal(reference.Indices, result.Matches.Indices);
        for (int i = 0; i < reference.Scores.Length; i++)
            Assert.InRange(result.Matches.Scores[i], reference.Scores[i] - 1e-6f, reference.Scores[i] + 1e-6f);
        Assert.DoesNotContain(Enumerable.Range(0, (int)rows), i => result.Matches.IndicesOf(i).Contains(i));
        var matches = CsvTable.Read(Path.Combine(outDir, StoreSearch.Matches));
        Assert.Equal(rows * 4, matches.Rows.Count);
        long row = long.Parse(matches.Cell(0, "row")!);
        var meta = opened.Row(row);
        Assert.Equal((meta.Key, meta.Caption, meta.Url), (matches.Cell(0, "key"), matches.Cell(0, "caption"), matches.Cell(0, "url")));
        Assert.True(File.Exists(Path.Combine(outDir, StoreSearch.Summary)));
    }

    [Fact]
    public void RangeCountsEqualCountsOverEveryScoreAndSayWhenTheyAreBounds()
    {
        var (store, queries, _, rows, _) = Store();
        var exclude = Enumerable.Range(0, (int)rows).Select(i => i % 3 == 0 ? i : -1L).ToArray();
        using var opened = EmbeddingStore.Open(store);
        using var q = NpyMatrix.Open(queries);
        var full = ExactSearch.Search(q, opened, Similarity.InnerProduct, (int)rows);
        var sorted = full.Scores.Where(float.IsFinite).Order().ToArray();
        // thresholds midway in a gap between scores: GEMM rounding (which differs with block boundaries) cannot move a score across them
        float Between(int at)
        {
            while (sorted[at + 1] - sorted[at] < 1e-4f) at++;
            return (sorted[at] + sorted[at + 1]) / 2;
        }
        float[] thresholds = [Between(sorted.Length / 2), Between(sorted.Length * 9 / 10)];
        long Truth(int query, float t) => Enumerable.Range(0, (int)rows).Count(r =>
            full.IndicesOf(query)[r] != exclude[query] && full.ScoresOf(query)[r] > t);

        var exact = StoreSearch.Run(queries, store, Path.Combine(Fixtures.TempFolder(), "s"), new StoreSearchSettings(Similarity.InnerProduct, 2, thresholds), exclude);
        for (int query = 0; query < rows; query++)
            for (int t = 0; t < thresholds.Length; t++)
            {
                Assert.Equal(Truth(query, thresholds[t]), exact.Count(query, t));
                Assert.False(exact.CountIsLowerBound[query * thresholds.Length + t]);
            }

        var capped = StoreSearch.Run(queries, store, Path.Combine(Fixtures.TempFolder(), "c"), new StoreSearchSettings(Similarity.InnerProduct, 2, thresholds, CountCap: 2), exclude);
        Assert.Contains(true, capped.CountIsLowerBound);
        for (int query = 0; query < rows; query++)
            for (int t = 0; t < thresholds.Length; t++)
            {
                long truth = Truth(query, thresholds[t]);
                if (capped.CountIsLowerBound[query * thresholds.Length + t]) Assert.True(capped.Count(query, t) <= truth);
                else Assert.Equal(truth, capped.Count(query, t));
            }
    }

    [Fact]
    public void AnInterruptedSearchKeepsItsFinishedPartsAndPartsOfAnotherSearchAreNotMerged()
    {
        var (store, queries, _, _, _) = Store();
        var outDir = Path.Combine(Fixtures.TempFolder(), "search");
        var settings = new StoreSearchSettings(Similarity.InnerProduct, 3, [0.2f]);
        StoreSearch.Run(queries, store, outDir, settings);
        var matches = File.ReadAllBytes(Path.Combine(outDir, StoreSearch.Matches));
        var counts = File.ReadAllBytes(Path.Combine(outDir, StoreSearch.CountsFile));
        File.Delete(Path.Combine(outDir, StoreSearch.Parts, "00002.part"));
        File.WriteAllText(Path.Combine(outDir, StoreSearch.Parts, ".00003.part.1234.abcd.partial"), "left by a killed run");
        var resumed = StoreSearch.Run(queries, store, outDir, settings);
        Assert.Equal((1, 4), (resumed.PartsComputed, resumed.PartsReused));
        Assert.Equal(matches, File.ReadAllBytes(Path.Combine(outDir, StoreSearch.Matches)));
        Assert.Equal(counts, File.ReadAllBytes(Path.Combine(outDir, StoreSearch.CountsFile)));
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, StoreSearch.Parts), "*.partial"));
        var other = StoreSearch.Run(queries, store, outDir, settings with { K = 2 });
        Assert.Equal((5, 0), (other.PartsComputed, other.PartsReused));
    }

    [Theory]
    [InlineData("one score")]
    [InlineData("garbage at the start")]
    [InlineData("truncated")]
    public void ADamagedPartIsComputedAgainNeverMergedAsIs(string damage)
    {
        // a part carries a checksum: one changed score used to give a different matches.csv with exit 0
        var (store, queries, _, _, _) = Store();
        var outDir = Path.Combine(Fixtures.TempFolder(), "search");
        var settings = new StoreSearchSettings(Similarity.InnerProduct, 3, [0.2f]);
        StoreSearch.Run(queries, store, outDir, settings);
        var matches = File.ReadAllBytes(Path.Combine(outDir, StoreSearch.Matches));
        string part = Path.Combine(outDir, StoreSearch.Parts, "00001.part");
        var bytes = File.ReadAllBytes(part);
        switch (damage)
        {
            case "one score": bytes[bytes.Length - 32 - 200] ^= 0x40; break;
            case "garbage at the start": bytes[0] = 0xFF; bytes[1] = 0xFF; break;
            default: bytes = bytes[..(bytes.Length / 2)]; break;
        }
        File.WriteAllBytes(part, bytes);
        Assert.Equal([1], StoreSearch.MissingParts(queries, store, outDir, settings));
        var again = StoreSearch.Run(queries, store, outDir, settings);
        Assert.Equal((1, 4), (again.PartsComputed, again.PartsReused));
        Assert.Equal(matches, File.ReadAllBytes(Path.Combine(outDir, StoreSearch.Matches)));
    }
}
