using Replication.Analyses.CaseStudy;
using Replication.Data.Datasets;
using Replication.Reporting.Metrics;

namespace Replication.Tests.Analyses.CaseStudy;

public class DuplicationStudyTests
{
    private static GenerationRow Row(int i, float top1, string? match, string? problem = null) =>
        new(i, $"g{i}.png", "unconditional", "k", i, top1, 0, "k0", match, 0, "src", 0.1f, top1, false, 0.2f, 0, false, 0, false, problem);

    [Fact]
    public void RatesPerLevelCountImagesReplicatedAndGenerationsReplicating()
    {
        // 2 images seen once, 2 seen 4 times, 1 seen 16 times
        var copies = new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 4, ["d"] = 4, ["e"] = 16 };
        var rows = new[]
        {
            Row(0, 0.99f, "e"), Row(1, 0.97f, "e"), Row(2, 0.95f, "c"), Row(3, 0.5f, "a"), // below the threshold: not a copy of a
            Row(4, 0.3f, "b"), Row(5, 0.99f, "e", problem: "not embedded"), Row(6, 0.2f, "d"), Row(7, 0.91f, "b"),
        };
        var levels = DuplicationRates.Compute(rows, copies, 0.9, samples: 500, seed: 1);
        Assert.Equal([1, 4, 16], levels.Select(l => l.Copies));
        Assert.Equal([2, 2, 1], levels.Select(l => l.Images));
        Assert.Equal([2L, 8, 16], levels.Select(l => l.TrainingRows));
        Assert.Equal([0.5, 0.5, 1.0], levels.Select(l => l.ImagesReplicated.Fraction)); // b; c; e
        Assert.Equal([1, 1, 2], levels.Select(l => l.Generations.Count));
        Assert.All(levels, l => Assert.Equal(7, l.Generations.Total)); // the unscored generation is left out
        Assert.Equal(2.0 / 26, levels[0].RowShare, 12);
        Assert.Equal(2.0, levels[2].GenerationsPerImage, 12);
        Assert.All(levels, l => Assert.True(l.ImagesReplicated.Low <= l.ImagesReplicated.Fraction && l.ImagesReplicated.Fraction <= l.ImagesReplicated.High));
        // a match whose caption is not an image of the table: the store was not built from the duplicated manifest
        var stray = Assert.Throws<InputDataException>(() => DuplicationRates.Compute([Row(0, 0.99f, "zzz")], copies, 0.9));
        Assert.Contains("'zzz'", stray.Message);
    }

    [Fact]
    public void TheStudyRunsEndToEndOnATinyDenoiserAndResumes()
    {
        var dir = Fixtures.TempFolder();
        var clipart = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(10).ToArray();
        string b = Path.Combine(dir, "base.csv");
        File.WriteAllLines(b, ["path,id", .. clipart.Select((f, i) => $"{f},img{i:D2}")]);
        var (manifest, _, rows) = DuplicatedTrainingSet.Write(b, new DuplicationPlan { Levels = [3], PerLevel = 2 }, Path.Combine(dir, "dup.csv"));
        var o = new DuplicationStudyOptions
        {
            Denoiser = Fixtures.Path("ddpm", "tiny", "card.json"), Training = manifest, Base = b, WorkFolder = Path.Combine(dir, "work"), Model = "pixels",
            Generations = 6, Steps = 3, SamplesPerShard = 5, BootstrapSamples = 100,
        };
        var r = DuplicationStudy.Run(o);
        Assert.Equal(6, r.Study.Rows.Count);
        Assert.All(r.Study.Rows, g => Assert.Equal(DuplicationStudy.UnconditionalPrompt, g.Prompt));
        Assert.Equal(14, rows);
        Assert.Equal([1, 3], r.Levels.Select(l => l.Copies));
        Assert.Equal("paper", r.Threshold.Source); // 10 base images: too few to calibrate
        Assert.All(r.Study.Rows, g => Assert.NotNull(g.MatchCaption));
        // a source drawn from a 3-copy image has 2 duplicates in the store (exact copies score 1)
        var dup = DuplicatedTrainingSet.ReadCopies(DuplicationStudy.CopiesTable(manifest));
        using (var store = Replication.Embeddings.Store.EmbeddingStore.Open(r.Store))
            foreach (var g in r.Study.Rows.Where(g => g.SourceRow >= 0))
                Assert.True(g.SourceDuplicates >= dup[store.Row(g.SourceRow).Caption!] - 1);
        var again = DuplicationStudy.Run(o);
        Assert.Equal(r.Levels.Select(l => l.ImagesReplicated.Fraction), again.Levels.Select(l => l.ImagesReplicated.Fraction));

        // notebook 04's lead: one line per extractor with its interval, a row per level, and the reading with the threshold's reason
        var spec = DuplicationCharts.RatesSpec([r]);
        Assert.Equal(3, spec.Series.Count);
        Assert.Equal([0.0, Math.Log2(3)], spec.Series[0].X);
        Assert.Equal(r.Levels.Select(l => l.ImagesReplicated.Fraction), spec.Series[0].Y);
        var table = DuplicationCharts.Table([r, again]);
        Assert.Equal(4, table.Rows.Count);
        Assert.Equal(r.Levels[1].ImagesReplicated.Count, (int)table.Columns["images replicated"][1]);
        string reading = DuplicationCharts.ReadingHtml([r]);
        Assert.Contains(System.Net.WebUtility.HtmlEncode("1×: "), reading);
        Assert.Contains(System.Net.WebUtility.HtmlEncode("3×: "), reading);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(r.Threshold.Reason), reading);
        Assert.Contains(r.RisesWithDuplication ? "rises with duplication" : "does not clearly rise", reading);

        Assert.Equal("Denoiser", Assert.Throws<ParameterException>(() => DuplicationStudy.Run(o with { Denoiser = Fixtures.Path("ddpm", "tiny-conditional", "card.json") })).Parameter);
        Assert.Throws<InputMissingException>(() => DuplicationStudy.Run(o with { Training = b }));
    }

    [Fact]
    public void ABaseSetOfAHundredImagesOrMoreCalibratesTheThresholdOnItself()
    {
        var dir = Fixtures.TempFolder();
        var clipart = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(120).ToArray();
        string b = Path.Combine(dir, "base.csv");
        File.WriteAllLines(b, ["path,id", .. clipart.Select((f, i) => $"{f},img{i:D3}")]);
        var (manifest, _, _) = DuplicatedTrainingSet.Write(b, new DuplicationPlan { Levels = [3], PerLevel = 2 }, Path.Combine(dir, "dup.csv"));
        var r = DuplicationStudy.Run(new DuplicationStudyOptions
        {
            Denoiser = Fixtures.Path("ddpm", "tiny", "card.json"), Training = manifest, Base = b, WorkFolder = Path.Combine(dir, "work"), Model = "pixels",
            Generations = 4, Steps = 2, SamplesPerShard = 50, BootstrapSamples = 50,
        });
        Assert.Equal("calibrated-1%", r.Threshold.Source);
        Assert.Contains("base set", r.Threshold.Reason);
    }

    [Fact]
    public void TheShareOfImagesReplicatedHasAWilsonIntervalThatHoldsIt()
    {
        var w = Proportion.Wilson(15, 16);
        Assert.Equal(0.9375, w.Fraction);
        Assert.Equal(0.7167, w.Low, 4);
        Assert.Equal(0.9889, w.High, 4);
        Assert.Equal((0.0, 0.0), (Proportion.Wilson(0, 16).Low, Proportion.Wilson(0, 16).Fraction));
        Assert.True(double.IsNaN(Proportion.Wilson(0, 0).Fraction));
    }
}
