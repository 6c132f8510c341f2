using Replication.Analyses.Benchmark;
using Replication.Data.Datasets;
using Replication.Search.Retrieval;

namespace Replication.Tests.Analyses.Benchmark;

public class ExtractorBenchmarkTests
{
    private static string Sources => Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");

    [Fact]
    public void RunsEveryCellRecordsFailuresAndReusesTheCache()
    {
        var dir = Fixtures.TempFolder();
        var datasets = new List<DatasetSource>
        {
            new("patch", () => SyntheticCopyGenerator.Generate(SyntheticCopyKind.PatchOutpaint, Sources, Path.Combine(dir, "data", "patch"), 6, seed: 2)),
            new("missing", () => CopyDatasetFolder.Open(Path.Combine(dir, "no-such-dataset"))),
        };
        var options = new BenchmarkOptions { CacheFolder = Path.Combine(dir, "cache"), TopK = 20 };
        var table = ExtractorBenchmark.Run(["pixels", "tiled-l2", Path.Combine(dir, "missing-card.json")], datasets, options);

        Assert.Equal(6, table.Cells.Count);
        var pixels = table.Cell("pixels", "patch");
        Assert.True(pixels.Succeeded, pixels.Error);
        Assert.Equal(6, pixels.Scores!.Queries);
        Assert.InRange(pixels.Scores.MeanAveragePrecision, 0, 1);
        Assert.False(double.IsNaN(pixels.ImagesPerSecond));
        Assert.Equal("tiled-l2x16", table.Cell("tiled-l2", "patch").Similarity);
        Assert.Contains("no-such-dataset", table.Cell("pixels", "missing").Error);
        Assert.Contains("missing-card.json", table.Cell(Path.Combine(dir, "missing-card.json"), "patch").Error);

        // average rank over the datasets a model succeeded on; the failed model has none
        var ranks = table.AverageRank();
        Assert.Contains(ranks["pixels"], new[] { 1.0, 1.5, 2.0 });
        Assert.Equal(3.0, ranks["pixels"] + ranks["tiled-l2"]);
        Assert.True(double.IsNaN(ranks[Path.Combine(dir, "missing-card.json")]));

        // the heat map, the frames, CSV/JSON all carry the same numbers
        var summary = table.ToSummaryFrame();
        Assert.Equal(pixels.Scores.MeanAveragePrecision, (double)summary["patch"][0]!);
        Assert.Contains("\"map\"", table.ToJson());

        // rerun: embeddings come from the cache (no embedding work, so no rate), scores identical
        var again = ExtractorBenchmark.Run(["pixels"], [datasets[0]], options);
        Assert.True(double.IsNaN(again.Cell("pixels", "patch").ImagesPerSecond));
        Assert.Contains("\"images_per_second\": null", again.ToJson()); // NaN is not JSON
        Assert.Equal(pixels.Scores.MeanAveragePrecision, again.Cell("pixels", "patch").Scores!.MeanAveragePrecision);
    }

    [Fact]
    public void RanksShareTiesAndIgnoreFailedCells()
    {
        RetrievalScores S(double map) => new(1, 1, map, map, 100, map, map, new Dictionary<int, double>(), new Dictionary<int, double>(), new Dictionary<int, double>(), [map], 0);
        var table = new BenchmarkTable(["a", "b", "c"], ["d1", "d2"],
        [
            new("a", "d1", "ip", S(0.9), 1, null), new("b", "d1", "ip", S(0.9), 1, null), new("c", "d1", "ip", S(0.1), 1, null),
            new("a", "d2", "ip", S(0.2), 1, null), new("b", "d2", "ip", null, 0, "boom"), new("c", "d2", "ip", S(0.5), 1, null),
        ]);
        var ranks = table.AverageRank();
        Assert.Equal((1.5 + 2) / 2, ranks["a"]);
        Assert.Equal(1.5, ranks["b"]);
        Assert.Equal((3 + 1) / 2.0, ranks["c"]);

        // in words: the paper's finding, then this run's (d1 synthetic, d2 real)
        var reading = BenchmarkReading.Of(table, new HashSet<string> { "d1" });
        Assert.StartsWith(BenchmarkReading.PaperFinding, reading);
        Assert.Contains("best average rank b (1.5), then a (1.75), c (2)", reading);
        Assert.Contains("On the synthetic copy sets (1): highest mean mAP a (0.9)", reading); // a and b tie; the first listed wins
        Assert.Contains("On the real datasets (1): highest mean mAP c (0.5)", reading); // b failed on d2
        Assert.Contains("d2: best c (mAP 0.5)", reading);
        Assert.Contains("None of the paper's extractors is in this run", reading);
    }

    [Fact]
    public void FigureRunsOnRealDatasetLayoutsWhenTheyArePresent()
    {
        var p = new Replication.Figures.ExtractorBenchmarkFigure.Parameters
        {
            Models = "tiled-l2", // the fixtures are flat colour patches: mean-centred pixels would all be zero vectors
            SyntheticSets = "",
            ExtraDatasets = $"gpr1200:{Fixtures.Path("datasets", "GPR1200")},roxford5k:{Fixtures.Path("datasets", "revisited")}",
            WorkFolder = Fixtures.TempFolder(),
        };
        var table = Replication.Figures.ExtractorBenchmarkFigure.Run(p.Validate());
        Assert.Equal(["gpr1200", "roxford5k"], table.Datasets);
        Assert.Contains("\"gpr1200\"", File.ReadAllText(Path.Combine(p.WorkFolder, "benchmark.json")));
        Assert.StartsWith("model,dataset,similarity,mAP", File.ReadAllText(Path.Combine(p.WorkFolder, "benchmark.csv")));
        Assert.All(table.Cells, c => Assert.True(c.Succeeded, c.Error));
        // GPR1200 counts each query itself: with exact search it is always found first
        Assert.Equal(1.0, table.Cell("tiled-l2", "gpr1200").Scores!.PrecisionAt[1]);
    }

    [Fact]
    public void OutpaintingColumnsNameTheirFill()
    {
        var p = new Replication.Figures.ExtractorBenchmarkFigure.Parameters { Models = "pixels" };
        Assert.Equal(["cutmix", "segmix", "diagonal-outpaint (harmonic fill)", "patch-outpaint (harmonic fill)"],
            Replication.Figures.ExtractorBenchmarkFigure.Datasets(p).Select(d => d.Name));
        Assert.Contains("Denoiser", Assert.Throws<Replication.Figures.FigureParameterException>(() => (p with { Denoiser = "/no/such/card.json" }).Validate()).Message);
    }
}
