using System.Globalization;
using Replication.Embeddings;
using Replication.Search;
using Replication.Core.Formats;

namespace Replication.Tests.Cli;

public class CliTests
{
    [Theory]
    [InlineData("scan", "--generated")]
    [InlineData("embed", "--images")]
    [InlineData("search", "--exclude-self")]
    [InlineData("demo", "--replicas-per-kind")]
    [InlineData("bench", "--nq")]
    [InlineData("copies", "--kind")]
    [InlineData("evaluate", "--ground-truth")]
    [InlineData("figures", "--list")]
    [InlineData("check-model", "--card")]
    [InlineData("calibrate", "--exceedance")]
    public void EveryCommandHasHelp(string command, string option)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(option, r.Stdout);
    }

    [Fact]
    public void FiguresListsEveryFigureWithItsParametersAndRejectsUnknownOnes()
    {
        var r = CliRunner.Run("figures", "--list");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("00-quickstart", r.Stdout);
        Assert.Contains("--replicas-per-kind", r.Stdout);
        Assert.Contains("01-extractor-benchmark", r.Stdout);
        var bad = CliRunner.Run("figures", "00-quickstart", "--no-such-parameter", "1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--no-such-parameter", bad.Stderr);
        Assert.Equal(2, CliRunner.Run("figures", "99-nothing").ExitCode);
        // a figure parameter's error names its option, not the notebook's property
        var rows = CliRunner.Run("figures", "00-quickstart", "--gallery-rows", "0", "--work-folder", Fixtures.TempFolder(),
            "--sources", Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources"));
        Assert.Equal(2, rows.ExitCode);
        Assert.Equal("error: --gallery-rows 0: must be at least 1", rows.Stderr.Trim());
        Assert.Equal(2, CliRunner.Run("figures", "00-quickstart", "--gallery-rows=x").ExitCode);
    }

    [Fact]
    public void UnknownCommandAndOptionAreUsageErrors()
    {
        Assert.Equal(2, CliRunner.Run("frobnicate").ExitCode);
        var r = CliRunner.Run("search", "--queries", "q.npy", "--bogus", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--bogus", r.Stderr);
        // an option missing its value does not swallow the next option
        var swallowed = CliRunner.Run("scan", "--generated", "--training", "t", "--out", "o");
        Assert.Equal(2, swallowed.ExitCode);
        Assert.Contains("--generated needs a value", swallowed.Stderr);
        Assert.Single(swallowed.Stderr.Trim().Split('\n'));
        // a bad list element is one line, not a stack trace
        var batches = CliRunner.Run("bench", "--batches", "1,x", "--skip-search", "--skip-jpeg");
        Assert.Equal(2, batches.ExitCode);
        Assert.Contains("--batches: 'x'", batches.Stderr);
        Assert.DoesNotContain("   at ", batches.Stderr);
        // an unknown model names the built-ins and the export script
        var model = CliRunner.Run("embed", "--model", "resnet50", "--images", Fixtures.Path("preprocessing"), "--out", Path.Combine(Fixtures.TempFolder(), "e"));
        Assert.NotEqual(0, model.ExitCode);
        Assert.Contains("resnet18-tokens", model.Stderr);
        Assert.Contains("export_models.py", model.Stderr);
        Assert.Contains("resnet18-tokens", CliRunner.Run("scan", "--help").Stdout);
    }

    [Fact]
    public void SearchWritesTheDocumentedCsvMatchingTheReference()
    {
        var dir = Fixtures.TempFolder();
        var rng = new Random(4);
        var q = Enumerable.Range(0, 6 * 8).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var g = Enumerable.Range(0, 40 * 8).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        NpyWriter.Write(Path.Combine(dir, "q.npy"), q, 8);
        NpyWriter.Write(Path.Combine(dir, "g.npy"), g, 8);
        var r = CliRunner.Run("search", "--queries", Path.Combine(dir, "q.npy"), "--gallery", Path.Combine(dir, "g.npy"), "--k", "3",
            "--metric", "split", "--chunks", "2", "--out", Path.Combine(dir, "m.csv"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = CsvTable.Read(Path.Combine(dir, "m.csv"));
        Assert.Equal(["query", "rank", "gallery", "score"], table.Header);
        var expected = ReferenceSearch.Search(q, g, 8, Similarity.SplitProduct(2), 3);
        Assert.Equal(18, table.Rows.Count);
        for (int i = 0; i < 18; i++)
        {
            Assert.Equal(i / 3, int.Parse(table.Cell(i, "query")!));
            Assert.Equal(i % 3, int.Parse(table.Cell(i, "rank")!));
            Assert.Equal(expected.Indices[i], long.Parse(table.Cell(i, "gallery")!));
            Assert.Equal(expected.Scores[i], float.Parse(table.Cell(i, "score")!, CultureInfo.InvariantCulture), 5);
        }
    }

    [Fact]
    public void MismatchedOrCorruptEmbeddingsAreOneLineErrors()
    {
        var dir = Fixtures.TempFolder();
        NpyWriter.Write(Path.Combine(dir, "q.npy"), new float[8], 4);
        NpyWriter.Write(Path.Combine(dir, "g.npy"), new float[9], 3);
        File.WriteAllText(Path.Combine(dir, "bad.npy"), "garbage");
        var r = CliRunner.Run("search", "--queries", Path.Combine(dir, "q.npy"), "--gallery", Path.Combine(dir, "g.npy"), "--out", Path.Combine(dir, "m.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("dimension mismatch", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "m.csv")));
        r = CliRunner.Run("search", "--queries", Path.Combine(dir, "bad.npy"), "--gallery", Path.Combine(dir, "g.npy"), "--out", Path.Combine(dir, "m.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bad.npy", r.Stderr);
    }

    [Fact]
    public void EmbedOfAnEmptyFolderOrWithAMissingCardFails()
    {
        var dir = Fixtures.TempFolder();
        var r = CliRunner.Run("embed", "--images", dir, "--out", Path.Combine(dir, "out"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no images found", r.Stderr);
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(dir, "camera.png"));
        r = CliRunner.Run("embed", "--images", dir, "--out", Path.Combine(dir, "out"), "--model", Path.Combine(dir, "nope.json"));
        Assert.Equal(3, r.ExitCode); // a file named on the command line that is not there
        Assert.Contains("nope.json", r.Stderr);
    }

    [Fact]
    public void EmbedWritesNumpyReadableEmbeddingsInPathOrder()
    {
        var dir = Fixtures.TempFolder();
        Directory.CreateDirectory(Path.Combine(dir, "b"));
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(dir, "b", "camera.png"));
        File.Copy(Fixtures.Path("preprocessing", "horse.png"), Path.Combine(dir, "a-horse.png"));
        var r = CliRunner.Run("embed", "--images", dir, "--out", Path.Combine(dir, "out"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var folder = EmbeddingFolder.Open(Path.Combine(dir, "out"));
        Assert.Equal(["a-horse.png", "b/camera.png"], folder.Images.Select(i => i.Id));
        using var m = folder.OpenVectors();
        Assert.Equal(2, m.Rows);
        Assert.Equal(512, m.Columns);
    }

    [Fact]
    public void TinyDemoRunsAndReportsPrecisionAndRecall()
    {
        var dir = Fixtures.TempFolder();
        var r = CliRunner.Run("demo", "--sources", Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources"),
            "--out", dir, "--max-sources", "8", "--replicas-per-kind", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("precision", r.Stdout);
        Assert.Contains("recall", r.Stdout);
        Assert.Contains(" generations (", r.Stdout.Split('\n').First(l => l.Contains("score above the threshold", StringComparison.Ordinal))); // the verdict
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("rs-verdict", html);
        Assert.Contains("Demo: how well the planted replicas are found", html); // precision and recall in the report too
        Assert.Contains("best in hindsight", html);
    }

    [Fact]
    public void CopiesAreIdenticalAcrossProcessesForOneSeedAndEvaluateScoresThem()
    {
        var dir = Fixtures.TempFolder();
        var sources = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");
        foreach (var run in new[] { "a", "b" })
        {
            var r = CliRunner.Run("copies", "--kind", "cutmix", "--sources", sources, "--out", Path.Combine(dir, run), "--queries", "3", "--seed", "4");
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        foreach (var q in Directory.GetFiles(Path.Combine(dir, "a", "queries")))
            Assert.Equal(File.ReadAllBytes(q), File.ReadAllBytes(Path.Combine(dir, "b", "queries", Path.GetFileName(q))));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "a", "gt.json")), File.ReadAllText(Path.Combine(dir, "b", "gt.json")));

        // embed, search and evaluate with the CLI alone
        foreach (var part in new[] { "gallery", "queries" })
            Assert.Equal(0, CliRunner.Run("embed", "--model", "pixels", "--images", Path.Combine(dir, "a", part), "--out", Path.Combine(dir, "emb-" + part)).ExitCode);
        Assert.Equal(0, CliRunner.Run("search", "--queries", Path.Combine(dir, "emb-queries", "embeddings.npy"), "--gallery", Path.Combine(dir, "emb-gallery", "embeddings.npy"),
            "--k", "100", "--out", Path.Combine(dir, "m.csv")).ExitCode); // more than the 12 gallery rows: a full ranking
        var e = CliRunner.Run("evaluate", "--matches", Path.Combine(dir, "m.csv"), "--ground-truth", Path.Combine(dir, "a", "gt.json"), "--out", Path.Combine(dir, "metrics.json"));
        Assert.True(e.ExitCode == 0, e.Stderr);
        Assert.Contains("mAP", e.Stdout);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        Assert.InRange((double)metrics["map"]!, 0, 1);
        Assert.Equal(3, (int)metrics["queries"]!);
        foreach (var key in new[] { "revisitop_p@5", "recall@5", "precision@5", "dcr_mrr", "mrr", "micro_ap", "full_ranking" })
            Assert.NotNull(metrics[key]);
        Assert.True((bool)metrics["full_ranking"]!);

        // one result per query cannot hold 4 positives: a lower bound, said so; refused on request
        Assert.Equal(0, CliRunner.Run("search", "--queries", Path.Combine(dir, "emb-queries", "embeddings.npy"), "--gallery", Path.Combine(dir, "emb-gallery", "embeddings.npy"),
            "--k", "1", "--out", Path.Combine(dir, "m1.csv")).ExitCode);
        var cut = CliRunner.Run("evaluate", "--matches", Path.Combine(dir, "m1.csv"), "--ground-truth", Path.Combine(dir, "a", "gt.json"));
        Assert.Equal(0, cut.ExitCode);
        Assert.Contains("LOWER BOUNDS", cut.Stdout);
        Assert.NotEqual(0, CliRunner.Run("evaluate", "--matches", Path.Combine(dir, "m1.csv"), "--ground-truth", Path.Combine(dir, "a", "gt.json"), "--require-full-ranking").ExitCode);
    }

    [Fact]
    public void ScanTakesManifestsWithCaptionsAndListsUnreadableImages()
    {
        var dir = Fixtures.TempFolder();
        foreach (var f in new[] { "chelsea.png", "camera.png", "horse.png" })
            File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(dir, f));
        File.WriteAllBytes(Path.Combine(dir, "broken.png"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(dir, "generated.csv"), "path,caption,id\nchelsea.png,\"a cat, sitting\",gen-cat\nbroken.png,nothing,gen-broken\n");
        File.WriteAllText(Path.Combine(dir, "training.csv"), "path,label\nchelsea.png,cat\ncamera.png,photo\nhorse.png,drawing\n");
        var r = CliRunner.Run("scan", "--generated", Path.Combine(dir, "generated.csv"), "--training", Path.Combine(dir, "training.csv"),
            "--out", Path.Combine(dir, "out"), "--k", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("skipped images: 1", r.Stdout);
        var matches = CsvTable.Read(Path.Combine(dir, "out", "matches.csv"));
        Assert.Equal("gen-cat", matches.Cell(0, "query_id"));
        Assert.Equal("chelsea.png", matches.Cell(0, "match_id"));
        Assert.Equal(1f, float.Parse(matches.Cell(0, "score")!, CultureInfo.InvariantCulture), 4);
        Assert.Contains("broken.png", File.ReadAllText(Path.Combine(dir, "out", "skipped.csv")));
        var sidecar = CsvTable.Read(Path.Combine(dir, "out", "generated", "embeddings.csv"));
        Assert.Equal("a cat, sitting", sidecar.Cell(0, "caption"));
        // outside a terminal progress ends at 100%; a rerun says its embeddings were reused
        Assert.Contains("embedding training: 3/3 (100%", r.Stdout);
        var again = CliRunner.Run("scan", "--generated", Path.Combine(dir, "generated.csv"), "--training", Path.Combine(dir, "training.csv"),
            "--out", Path.Combine(dir, "out"), "--k", "2");
        Assert.Contains("embedding training: 3/3 cached", again.Stdout);
        // the same inputs on both sides are refused before any work
        var same = CliRunner.Run("scan", "--generated", Path.Combine(dir, "training.csv"), "--training", Path.Combine(dir, "training.csv"), "--out", Path.Combine(dir, "out2"));
        Assert.NotEqual(0, same.ExitCode);
        Assert.Contains("the same", same.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "out2")));
    }
}
