using Replication.Embeddings;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Core.Files;
using Replication.Tests.Embeddings.Store;

namespace Replication.Tests.Search.Store;

/// <summary>
/// The search's stages apart: parts computed by separate workers (<c>--part i/n</c>) into one folder, side by side, then the merge;
/// the merged outputs are byte for byte those of one process, a merge names the parts it lacks, and a rerun computes only those.
/// </summary>
public class StoreSearchPartsTests
{
    private static (string Store, string Queries) Store()
    {
        var (_, shards) = StoreFixtures.NoiseShards(count: 30, perShard: 7, size: 96);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        using (var extractor = FeatureExtractor.Open("pixels"))
            StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, ShardSelection.All, batchSize: 4);
        var queries = Path.Combine(Fixtures.TempFolder(), "queries.npy");
        File.Copy(Path.Combine(StoreFiles.ShardFolder(store, 1), StoreFiles.Vectors), queries);
        return (store, queries);
    }

    private static readonly StoreSearchSettings Settings = new(Similarity.InnerProduct, 3, [0.5f, 0.9f]);

    [Fact]
    public void PartsComputedSideBySideThenMergedEqualOneProcessByteForByte()
    {
        var (store, queries) = Store();
        var single = Path.Combine(Fixtures.TempFolder(), "single");
        StoreSearch.Run(queries, store, single, Settings);

        var outDir = Path.Combine(Fixtures.TempFolder(), "parts");
        var results = new StorePartsResult[3];
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i =>
            results[i] = StoreSearch.RunParts(queries, store, outDir, Settings, new ShardSelection(i, 3)));
        Assert.Equal([2, 2, 1], results.Select(r => r.Computed));
        Assert.All(results, r => Assert.Empty(r.Busy));
        Assert.False(File.Exists(Path.Combine(outDir, StoreSearch.Matches))); // parts only: no merge
        var merged = StoreSearch.Merge(queries, store, outDir, Settings);
        Assert.Equal((0, 5), (merged.PartsComputed, merged.PartsReused));
        foreach (var name in new[] { StoreSearch.Matches, StoreSearch.CountsFile })
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, name)), File.ReadAllBytes(Path.Combine(outDir, name)));
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, StoreSearch.Parts), "*.lock"));
    }

    [Fact]
    public void AMergeNamesTheMissingPartsAndComputesNothingARerunComputesOnlyThose()
    {
        var (store, queries) = Store();
        var outDir = Path.Combine(Fixtures.TempFolder(), "search");
        StoreSearch.RunParts(queries, store, outDir, Settings, new ShardSelection(0, 2));
        var e = Assert.Throws<InputDataException>(() => StoreSearch.Merge(queries, store, outDir, Settings));
        Assert.Contains("2 of 5 parts missing", e.Message);
        Assert.Contains(": 1, 3;", e.Message);
        Assert.Equal([1, 3], StoreSearch.MissingParts(queries, store, outDir, Settings));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(outDir, StoreSearch.Parts), "*.part").Length);

        // a node lost mid-array: its task runs again and computes only what is missing
        File.WriteAllText(Path.Combine(outDir, StoreSearch.Parts, ".00001.part.999.abcd.partial"), "left by a killed task");
        var rerun = StoreSearch.RunParts(queries, store, outDir, Settings, ShardSelection.All);
        Assert.Equal((2, 3), (rerun.Computed, rerun.Reused));
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, StoreSearch.Parts), "*.partial"));
        StoreSearch.Merge(queries, store, outDir, Settings);
        Assert.Equal("0-4", StoreSearch.Ranges([0, 1, 2, 3, 4]));
        Assert.Equal("0, 2-3, 7", StoreSearch.Ranges([0, 2, 3, 7]));
    }

    [Fact]
    public void APartLockedByAnotherLiveWorkerIsLeftToItAndAPlainRunStopsWithItsHolder()
    {
        var (store, queries) = Store();
        var outDir = Path.Combine(Fixtures.TempFolder(), "search");
        using (OutputLock.Acquire(Path.Combine(outDir, StoreSearch.Parts), ".00002.lock")) // held by a live process: this one
        {
            var parts = StoreSearch.RunParts(queries, store, outDir, Settings, ShardSelection.All);
            Assert.Equal(4, parts.Computed);
            Assert.Contains("00002.lock: another run is writing this output", Assert.Single(parts.Busy));
            Assert.Throws<OutputLockedException>(() => StoreSearch.Run(queries, store, outDir, Settings));
        }
        var done = StoreSearch.Run(queries, store, outDir, Settings);
        Assert.Equal((1, 4), (done.PartsComputed, done.PartsReused));
    }
}
