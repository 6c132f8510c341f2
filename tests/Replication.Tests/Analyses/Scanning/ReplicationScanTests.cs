using Replication.Reporting.Metrics;
using Replication.Analyses.Demo;
using Replication.Analyses.Scanning;
using Replication.Core.Formats;
using Replication.Embeddings;

namespace Replication.Tests.Analyses.Scanning;

public class ReplicationScanTests
{
    [Fact]
    public void TinyDemoEndToEndFindsPlantedCopiesAndWritesEveryOutput()
    {
        var dir = Fixtures.TempFolder();
        var sources = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");
        var set = DemoSetBuilder.Build(sources, Path.Combine(dir, "data"), replicasPerKind: 1, maxSources: 12);
        // a bad image among the generations must be skipped, not abort the scan
        File.WriteAllBytes(Path.Combine(set.GeneratedFolder, "zz-broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var result = ReplicationScan.Run(new ScanOptions
        {
            Generated = set.GeneratedFolder, Training = set.TrainingFolder, OutputFolder = Path.Combine(dir, "out"), TopK = 3,
            Annotations = set.Annotations,
        });

        Assert.Single(result.Generated.Skipped);
        Assert.Contains("zz-broken.png", result.Generated.Skipped[0].Path);
        var copy = set.Truth.Single(t => t.Kind == "copy");
        int row = result.Generated.Images.ToList().FindIndex(i => i.Path.EndsWith(copy.Generated));
        Assert.Equal(1f, result.Matches.ScoresOf(row)[0], 4);
        Assert.Equal(copy.SourceTraining, Path.GetFileName(result.Training.Images[(int)result.Matches.IndicesOf(row)[0]].Path));
        // the self-similarity baseline never matches a training image with itself
        for (int i = 0; i < result.TrainingSelfMatches.Queries; i++)
            Assert.NotEqual(i, result.TrainingSelfMatches.IndicesOf(i)[0]);

        string o = Path.Combine(dir, "out");
        foreach (var f in new[] { ScanReport.Html, ScanReport.Summary, ScanReport.Matches, ScanReport.Skipped })
            Assert.True(File.Exists(Path.Combine(o, f)), f);
        var html = File.ReadAllText(Path.Combine(o, ScanReport.Html));
        Assert.Contains("<svg", html);
        Assert.Contains("data:image/jpeg;base64,", html);
        // the report opens with the verdict: how many generations are above the threshold and what the threshold means
        string verdict = result.Verdict();
        int above = (int)Math.Round(result.GeneratedSummary.FractionAbove * result.GeneratedSummary.Count);
        Assert.StartsWith($"{above} of {result.GeneratedSummary.Count} generations", verdict);
        Assert.Contains("of training images score above it", verdict);
        Assert.True(html.IndexOf("rs-verdict", StringComparison.Ordinal) < html.IndexOf("<h2>", StringComparison.Ordinal));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(verdict), html);
        Assert.DoesNotContain("<script src=", html);
        var matches = CsvTable.Read(Path.Combine(o, ScanReport.Matches));
        Assert.Equal(result.Generated.Count * 3, matches.Rows.Count);
        Assert.Contains("zz-broken.png", File.ReadAllText(Path.Combine(o, ScanReport.Skipped)));
        using var npy = NpyMatrix.Open(Path.Combine(o, "generated", EmbeddingFiles.Vectors));
        Assert.Equal(result.Generated.Count, npy.Rows);
        Assert.Equal(512, npy.Columns);
        Assert.Empty(Directory.GetFiles(o, "*.partial", SearchOption.AllDirectories));

        // the default model is the copy detector, whose card carries a threshold calibrated on unrelated pairs: the scan applies
        // it and says what it implies; fewer than 100 training images leave the training calibration not estimable
        Assert.Equal(BuiltinModels.CopyDetectorName, result.Options.Model);
        var card = ModelCard.Load(BuiltinModels.CopyDetectorCardPath);
        Assert.Equal((card.Calibration!.Threshold, "card-calibrated"), (result.Threshold.Value, result.Threshold.Source));
        Assert.Contains("calibrated for this model on unrelated pairs", verdict);
        Assert.Contains("unrelated pairs", html);
        Assert.All(result.Calibrated, c => Assert.False(c.Estimable));
        Assert.Contains("not estimable", html);
        Assert.Contains($"planted copy of {copy.SourceTraining}", html);           // the demo's ground truth beside its generations
        Assert.Contains($"All {result.Matches.Queries} generations", html);
        Assert.Contains("<h2>Provenance</h2>", html);
        Assert.Contains("composite on #ffffff", html);

        // a rerun reuses the embeddings and gives the same answer
        var again = ReplicationScan.Run(result.Options);
        Assert.Equal(result.Matches.Indices, again.Matches.Indices);

        // centring fitted on the training set: the exact copy still scores 1, the whitening is stored with the embeddings
        var centred = ReplicationScan.Run(result.Options with { Whitening = Replication.Embeddings.WhiteningMode.Center });
        Assert.Equal(1f, centred.Matches.ScoresOf(row)[0], 4);
        Assert.True(File.Exists(Path.Combine(o, "training", Replication.Embeddings.Whitening.MatrixFile)));
        // whitening changes the scale the card was calibrated on, so the card's threshold no longer applies: the paper's 0.5, and why
        Assert.Equal((0.5, "paper"), (centred.Threshold.Value, centred.Threshold.Source));
        Assert.Contains("an exact copy scores 1", File.ReadAllText(Path.Combine(o, ScanReport.Html)));

        // the official split-product: exact copies score a chunk's share of the norm, not 1, and the report says so
        var split = ReplicationScan.Run(result.Options with { Similarity = Replication.Embeddings.Similarity.SplitProduct(4) });
        Assert.False(split.ExactCopy.Constant);
        Assert.True(split.ExactCopy.Max < 1 && split.ExactCopy.Min > 0);
        Assert.True(double.IsNaN(split.Threshold.Value));
        Assert.Contains("not 1", File.ReadAllText(Path.Combine(o, ScanReport.Html)));
    }

    [Theory]
    [InlineData("threshold")]
    [InlineData("chunks")]
    [InlineData("whiten")]
    public void ImpossibleOptionsAreRefusedBeforeAnyEmbedding(string what)
    {
        var dir = Fixtures.TempFolder();
        var sources = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");
        var set = DemoSetBuilder.Build(sources, Path.Combine(dir, "data"), replicasPerKind: 1, maxSources: 8);
        var options = new ScanOptions { Generated = set.GeneratedFolder, Training = set.TrainingFolder, OutputFolder = Path.Combine(dir, "out") };
        options = what switch
        {
            "threshold" => options with { Threshold = ThresholdPolicy.Given(1.5) },
            "chunks" => options with { Similarity = Replication.Embeddings.Similarity.SplitProduct(7) },
            _ => options with { Whitening = Replication.Embeddings.WhiteningMode.Whiten },
        };
        var e = Assert.ThrowsAny<UsageException>(() => ReplicationScan.Run(options));
        Assert.Contains(what switch { "threshold" => "outside the range", "chunks" => "divisible by 7", _ => "whiten-shrunk" }, e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "out", "generated")));
    }

    [Fact]
    public void EmptyInputFolderIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        Directory.CreateDirectory(Path.Combine(dir, "gen"));
        Directory.CreateDirectory(Path.Combine(dir, "train"));
        var e = Assert.Throws<InputDataException>(() => ReplicationScan.Run(new ScanOptions
        {
            Generated = Path.Combine(dir, "gen"), Training = Path.Combine(dir, "train"), OutputFolder = Path.Combine(dir, "out"),
        }));
        Assert.Contains("no images found", e.Message);
    }

    [Fact]
    public void ManifestWithoutPathColumnIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        var manifest = Path.Combine(dir, "m.csv");
        File.WriteAllText(manifest, "file,caption\na.png,x\n");
        var e = Assert.Throws<InputDataException>(() => Replication.Images.ImageCollection.Open(manifest));
        Assert.Contains("'path' column", e.Message);
    }

    [Fact]
    public void WithoutAnExplicitSimilarityTheScanUsesTheModelCards()
    {
        var dir = Fixtures.TempFolder();
        var sources = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");
        var set = DemoSetBuilder.Build(sources, Path.Combine(dir, "data"), replicasPerKind: 1, maxSources: 8);
        var result = ReplicationScan.Run(new ScanOptions
        {
            Generated = set.GeneratedFolder, Training = set.TrainingFolder, OutputFolder = Path.Combine(dir, "out"), Model = "tiled-l2",
        });
        Assert.Equal(Replication.Embeddings.Similarity.TiledL2(16), result.Similarity);
        Assert.Contains("tiled-l2x16", File.ReadAllText(Path.Combine(dir, "out", ScanReport.Summary)));
        var copy = set.Truth.Single(t => t.Kind == "copy");
        int row = result.Generated.Images.ToList().FindIndex(i => i.Path.EndsWith(copy.Generated));
        Assert.Equal(1f, result.Matches.ScoresOf(row)[0], 5); // an exact copy has identical tiles
    }
}
