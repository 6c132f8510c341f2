using Replication.Embeddings.Store;
using Replication.Tests.Embeddings.WebDataset;

namespace Replication.Tests.Cli;

/// <summary>pack and embed --shards from the command line: results, and exit codes for mistakes.</summary>
public class ShardCliTests
{
    [Fact]
    public void PackThenEmbedShardsInTwoPartsMakesACompleteStore()
    {
        var images = WebDatasetFixtures.ImageFolder();
        var shards = Path.Combine(Fixtures.TempFolder(), "shards");
        var pack = CliRunner.Run("pack", "--images", images, "--out", shards, "--samples-per-shard", "4");
        Assert.True(pack.ExitCode == 0, pack.Stderr);
        Assert.Contains("6 samples in 2 shards", pack.Stdout);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        var part1 = CliRunner.Run("embed", "--model", "pixels", "--shards", shards, "--out", store, "--shard", "1/2");
        Assert.True(part1.ExitCode == 0, part1.Stderr);
        Assert.Contains("1 of 2 shards done by this process (1/2)", part1.Stdout);
        var part0 = CliRunner.Run("embed", "--model", "pixels", "--shards", shards, "--out", store, "--shard", "0/2");
        Assert.True(part0.ExitCode == 0, part0.Stderr);
        Assert.Contains("store complete: 6 rows", part0.Stdout);
        Assert.True(File.Exists(Path.Combine(store, StoreFiles.Manifest)));
        var again = CliRunner.Run("pack", "--images", images, "--out", shards);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds", again.Stderr);
    }

    [Fact]
    public void MistakesEndWithTheirExitCodes()
    {
        var images = WebDatasetFixtures.ImageFolder();
        var outDir = Path.Combine(Fixtures.TempFolder(), "o");
        Assert.Equal(2, CliRunner.Run("embed", "--model", "pixels", "--out", outDir).ExitCode);
        Assert.Equal(2, CliRunner.Run("embed", "--model", "pixels", "--images", images, "--shards", images, "--out", outDir).ExitCode);
        Assert.Equal(2, CliRunner.Run("embed", "--model", "pixels", "--images", images, "--shard", "0/2", "--out", outDir).ExitCode);
        Assert.Equal(2, CliRunner.Run("embed", "--model", "pixels", "--shards", images, "--chunk", "10", "--out", outDir).ExitCode);
        var bad = CliRunner.Run("embed", "--model", "pixels", "--shards", images, "--shard", "2/2", "--out", outDir);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--shard 2/2: must be i/n", bad.Stderr);
        Assert.Equal(3, CliRunner.Run("embed", "--model", "pixels", "--shards", Path.Combine(images, "nope"), "--out", outDir).ExitCode);
        var noTars = CliRunner.Run("embed", "--model", "pixels", "--shards", images, "--out", outDir);
        Assert.Equal(1, noTars.ExitCode);
        Assert.Contains("no .tar shards", noTars.Stderr);
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 10);
        var list = Path.Combine(shards, "list.txt");
        File.WriteAllLines(list, ["00000.tar", "00000.tar"]);
        var twice = CliRunner.Run("embed", "--model", "pixels", "--shards", list, "--out", outDir);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("listed twice", twice.Stderr);
        var resizeAlone = CliRunner.Run("pack", "--images", images, "--out", Path.Combine(outDir, "p"), "--resize", "256");
        Assert.Equal(2, resizeAlone.ExitCode);
        Assert.Contains("--resize needs --keep-ratio", resizeAlone.Stderr);
        Assert.Equal(2, CliRunner.Run("pack", "--images", images, "--out", Path.Combine(outDir, "p"), "--keep-ratio").ExitCode);
        var resized = CliRunner.Run("pack", "--images", images, "--out", Path.Combine(outDir, "p"), "--resize", "16", "--keep-ratio");
        Assert.True(resized.ExitCode == 0, resized.Stderr);
    }

    [Fact]
    public void SearchStoreWritesMatchesWithTheirMetadataAndRefusesAnIncompleteStore()
    {
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 4);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        Assert.Equal(0, CliRunner.Run("embed", "--model", "pixels", "--shards", shards, "--out", store, "--shard", "0/2").ExitCode);
        var queries = Path.Combine(StoreFiles.ShardFolder(store, 0), StoreFiles.Vectors);
        var outDir = Path.Combine(Fixtures.TempFolder(), "search");
        var incomplete = CliRunner.Run("search-store", "--queries", queries, "--store", store, "--out", outDir);
        Assert.Equal(1, incomplete.ExitCode);
        Assert.Contains("not complete", incomplete.Stderr);
        Assert.Equal(0, CliRunner.Run("embed", "--model", "pixels", "--shards", shards, "--out", store, "--shard", "1/2").ExitCode);
        var exclude = Path.Combine(Fixtures.TempFolder(), "exclude.txt");
        File.WriteAllLines(exclude, ["0", "1", "2", "-1"]);
        var ok = CliRunner.Run("search-store", "--queries", queries, "--store", store, "--out", outDir, "--k", "2", "--count-above", "0.9", "--exclude", exclude);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("4 queries: top 2", ok.Stdout);
        var lines = File.ReadAllLines(Path.Combine(outDir, "matches.csv"));
        Assert.Equal("query,rank,row,score,shard,key,caption,url", lines[0]);
        Assert.StartsWith("3,0,3,", lines.Single(l => l.StartsWith("3,0,"))); // query 3 excludes nothing: itself first
        Assert.DoesNotContain(lines, l => l.StartsWith("0,0,0,"));
        File.WriteAllLines(exclude, ["0"]);
        Assert.Equal(1, CliRunner.Run("search-store", "--queries", queries, "--store", store, "--out", outDir, "--exclude", exclude).ExitCode);
        Assert.Equal(2, CliRunner.Run("search-store", "--queries", queries, "--store", store, "--out", outDir, "--count-above", "x").ExitCode);
    }
}
