using System.Text.Json;
using Replication.Embeddings.Store;
using Replication.Core.Formats;
using Replication.Tests.Embeddings.WebDataset;

namespace Replication.Tests.Cli;

/// <summary>index build / index search and prompts sample / prompts check from the command line, on a small real store.</summary>
public class IndexAndPromptsCliTests
{
    private static string Store()
    {
        var images = WebDatasetFixtures.ImageFolder();
        var manifest = Path.Combine(images, "train.csv");
        File.WriteAllLines(manifest, ["path,caption", .. WebDatasetFixtures.Names.Select(n => $"{n},a photo of {Path.GetFileNameWithoutExtension(n)}")]);
        var shards = Path.Combine(Fixtures.TempFolder(), "shards");
        var pack = CliRunner.Run("pack", "--images", manifest, "--out", shards, "--samples-per-shard", "4");
        Assert.True(pack.ExitCode == 0, pack.Stderr);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        var embed = CliRunner.Run("embed", "--model", "pixels", "--shards", shards, "--out", store);
        Assert.True(embed.ExitCode == 0, embed.Stderr);
        return store;
    }

    [Fact]
    public void BuildThenSearchAStoreReportsRecallAndRowsWithTheirMetadata()
    {
        var store = Store();
        var build = CliRunner.Run("index", "build", "--store", store);
        Assert.True(build.ExitCode == 0, build.Stderr);
        Assert.True(File.Exists(Path.Combine(store, "hnsw", "index.json")));
        var queries = Path.Combine(StoreFiles.ShardFolder(store, 0), StoreFiles.Vectors); // the store's own first rows: each finds itself
        var outDir = Path.Combine(Fixtures.TempFolder(), "o");
        var search = CliRunner.Run("index", "search", "--queries", queries, "--store", store, "--out", outDir, "--k", "2");
        Assert.True(search.ExitCode == 0, search.Stderr);
        Assert.Contains("recall@1 1.0000, recall@10 1.0000", search.Stdout);
        var matches = CsvTable.Read(Path.Combine(outDir, "matches.csv"));
        Assert.Equal(["query", "rank", "row", "score", "shard", "key", "caption", "url"], matches.Header);
        Assert.Equal("0", matches.Cell(0, "row"));
        Assert.StartsWith("a photo of", matches.Cell(0, "caption"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "search.json")));
        Assert.Equal(1.0, summary.RootElement.GetProperty("recall_at_1").GetDouble());
        Assert.Equal(4, summary.RootElement.GetProperty("recall_queries_measured").GetInt32());

        // the query's own row excluded: never matched
        var exclude = Path.Combine(Fixtures.TempFolder(), "exclude.txt");
        File.WriteAllLines(exclude, ["0", "1", "-1", "3"]);
        var excluded = CliRunner.Run("index", "search", "--queries", queries, "--store", store, "--out", outDir, "--k", "2", "--exclude", exclude);
        Assert.True(excluded.ExitCode == 0, excluded.Stderr);
        var kept = CsvTable.Read(Path.Combine(outDir, "matches.csv"));
        Assert.NotEqual("0", kept.Cell(0, "row"));
        Assert.Equal("2", kept.Cell(4, "row")); // query 2 excludes nothing: itself first
        Assert.Contains("recall@1 1.0000", excluded.Stdout);

        // a store whose vectors changed since the build (its manifest's checksums) is refused
        var manifestPath = Path.Combine(store, StoreFiles.Manifest);
        var manifestText = File.ReadAllText(manifestPath);
        var manifest = JsonSerializer.Deserialize<StoreManifest>(manifestText, ShardEmbedder.Json)!;
        var changed = manifest with { Shards = [manifest.Shards[0] with { VectorsSha256 = new string('0', 64) }, .. manifest.Shards.Skip(1)] };
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(changed, ShardEmbedder.Json));
        var storeStale = CliRunner.Run("index", "search", "--queries", queries, "--store", store, "--out", outDir);
        Assert.Equal(1, storeStale.ExitCode);
        Assert.Contains("stale index", storeStale.Stderr);
        File.WriteAllText(manifestPath, manifestText);

        // mistakes: split-product refused, no gallery, a stale index (the index of another store)
        var split = CliRunner.Run("index", "build", "--store", store, "--metric", "split");
        Assert.Equal(2, split.ExitCode);
        Assert.Contains("supports only ip", split.Stderr);
        Assert.Equal(2, CliRunner.Run("index", "search", "--queries", queries, "--out", outDir).ExitCode);
        var other = Path.Combine(Fixtures.TempFolder(), "g.npy");
        NpyWriter.Write(other, new float[6 * 3], 3);
        var stale = CliRunner.Run("index", "search", "--queries", queries, "--gallery", other, "--index", Path.Combine(store, "hnsw"), "--out", outDir);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("stale index", stale.Stderr);
        var missing = CliRunner.Run("index", "search", "--queries", queries, "--gallery", other, "--out", outDir);
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("index build", missing.Stderr);
        var noValue = CliRunner.Run("index", "build", "--store");
        Assert.Equal(2, noValue.ExitCode);
        Assert.Contains("index build", noValue.Stderr);
    }

    [Fact]
    public void PromptsAreDrawnFromAStoreAndGeneratedManifestsChecked()
    {
        var store = Store();
        var prompts = Path.Combine(Fixtures.TempFolder(), "prompts.csv");
        var sample = CliRunner.Run("prompts", "sample", "--from", store, "--count", "20", "--seed", "3", "--out", prompts);
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        var first = File.ReadAllText(prompts);
        Assert.Equal(0, CliRunner.Run("prompts", "sample", "--from", store, "--count", "20", "--seed", "3", "--out", prompts).ExitCode);
        Assert.Equal(first, File.ReadAllText(prompts));
        var table = CsvTable.Read(prompts);
        Assert.Equal(["prompt", "source_key", "seed", "source_row"], table.Header);
        Assert.Equal(20, table.Rows.Count);
        Assert.StartsWith("a photo of", table.Cell(0, "prompt"));

        var folder = Path.GetDirectoryName(prompts)!;
        File.WriteAllBytes(Path.Combine(folder, "g0.png"), [1]);
        var generated = Path.Combine(folder, "generated.csv");
        File.WriteAllText(generated, $"path,prompt,source_key,seed\ng0.png,\"{table.Cell(0, "prompt")}\",{table.Cell(0, "source_key")},{table.Cell(0, "seed")}\n");
        var check = CliRunner.Run("prompts", "check", "--generated", generated, "--prompts", prompts);
        Assert.True(check.ExitCode == 0, check.Stderr);
        Assert.Contains("1 generated images", check.Stdout);
        File.AppendAllText(generated, "g0.png,x,nokey,1\n");
        var bad = CliRunner.Run("prompts", "check", "--generated", generated, "--prompts", prompts);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("row 2: source_key 'nokey'", bad.Stderr);
    }
}
