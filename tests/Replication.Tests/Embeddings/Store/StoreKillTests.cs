using System.Diagnostics;
using Replication.Embeddings;
using Replication.Embeddings.Store;

namespace Replication.Tests.Embeddings.Store;

/// <summary>
/// kill -9 at any moment: the CLI embedding a store is killed (SIGKILL) while a shard is half written, then again between
/// shards, and rerun; the store must be byte for byte the store of an uninterrupted run: no row lost, none twice.
/// </summary>
public class StoreKillTests
{
    private static Process Start(string shards, string store, string selection = "0/1")
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll"), "embed", "--model", "pixels", "--shards", shards, "--out", store, "--batch", "2", "--shard", selection })
            psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return Process.Start(psi)!;
    }

    /// <summary>Kills the run (SIGKILL) as soon as <paramref name="when"/> holds; false when the run ended first.</summary>
    private static bool KillWhen(Process p, Func<bool> when)
    {
        var limit = Stopwatch.StartNew();
        while (!p.HasExited && limit.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (when())
            {
                p.Kill(); // SIGKILL on Linux: no handler runs, nothing is flushed or cleaned
                p.WaitForExit();
                return true;
            }
            Thread.Sleep(1);
        }
        p.WaitForExit();
        return false;
    }

    private static int Partials(string store) =>
        Directory.Exists(Path.Combine(store, StoreFiles.ShardsFolder))
            ? Directory.EnumerateFiles(Path.Combine(store, StoreFiles.ShardsFolder), "*.partial", SearchOption.AllDirectories).Count()
            : 0;

    private static int DoneShards(string store) =>
        Directory.Exists(Path.Combine(store, StoreFiles.ShardsFolder))
            ? Directory.EnumerateFiles(Path.Combine(store, StoreFiles.ShardsFolder), StoreFiles.Done, SearchOption.AllDirectories).Count()
            : 0;

    [Fact]
    public void KilledMidShardAndBetweenShardsThenRerunEqualsAnUninterruptedRun()
    {
        var (_, shards) = StoreFixtures.NoiseShards(count: 48, perShard: 12);
        var reference = Path.Combine(Fixtures.TempFolder(), "reference");
        using (var extractor = FeatureExtractor.Open("pixels"))
            StoreEmbedding.Run(ShardList.Resolve(shards), reference, extractor, ShardSelection.All, batchSize: 2);

        var store = Path.Combine(Fixtures.TempFolder(), "killed");
        using (var first = Start(shards, store))
            Assert.True(KillWhen(first, () => Partials(store) > 0), "the first run ended before it could be killed inside a shard");
        Assert.False(File.Exists(Path.Combine(store, StoreFiles.Manifest)));
        Assert.True(DoneShards(store) < 4);

        int doneBefore = DoneShards(store);
        using (var second = Start(shards, store))
            KillWhen(second, () => DoneShards(store) > doneBefore && Partials(store) > 0); // after a shard was finished, inside the next

        using (var last = Start(shards, store))
        {
            Assert.True(last.WaitForExit(TimeSpan.FromMinutes(3)));
            Assert.Equal(0, last.ExitCode);
        }
        Assert.Equal(StoreFixtures.Files(reference), StoreFixtures.Files(store));
        Assert.Equal(0, Partials(store));
    }

    [Fact]
    public void ProcessesWritingOneStoreAtOnceGiveTheStoreOfOneRun()
    {
        var (_, shards) = StoreFixtures.NoiseShards(count: 24, perShard: 4, size: 160);
        var reference = Path.Combine(Fixtures.TempFolder(), "reference");
        using (var extractor = FeatureExtractor.Open("pixels"))
            StoreEmbedding.Run(ShardList.Resolve(shards), reference, extractor, ShardSelection.All, batchSize: 2);
        var store = Path.Combine(Fixtures.TempFolder(), "shared");
        // two halves and an overlapping whole: shards a process finds locked by a live one are left to it
        var processes = new[] { "0/2", "1/2", "0/1" }.Select(sel => Start(shards, store, sel)).ToList();
        foreach (var p in processes)
        {
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)));
            Assert.Equal(0, p.ExitCode);
            p.Dispose();
        }
        Assert.Equal(StoreFixtures.Files(reference), StoreFixtures.Files(store));
    }
}
