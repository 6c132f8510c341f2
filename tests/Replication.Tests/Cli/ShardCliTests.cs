using Replication.Shards;
using Replication.Tests.WebDataset;

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
        var bad = CliRunner.Run("embed", "--model", "pixels", "--shards", images, "--shard", "2/2", "--out", outDir);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--shard must be i/n", bad.Stderr);
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
    }
}
