using System.Text.Json.Nodes;
using Replication.Data.Datasets;
using Replication.Figures;
using Replication.Images;
using Replication.Embeddings;
using Replication.Analyses.Sweep;

namespace Replication.Tests.Analyses.Sweep;

/// <summary>The sweep end to end on the tiny fixture denoiser (two copies whose cards claim 4 and 8 training images) and
/// nested subsets of the demo clip art: sampled in C#, embedded once per extractor, scanned per size.</summary>
public class TrainingSizeSweepTests
{
    private static (TrainingSizeSweepFigure.Parameters P, string Work) Setup()
    {
        var dir = Fixtures.TempFolder();
        var pool = ImageCollection.FromFolder(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"));
        NestedSubsets.Write(NestedSubsets.Build(pool, [4, 8], seed: 0), Path.Combine(dir, "subsets"), "demo clip art");
        var cards = new List<string>();
        foreach (int n in new[] { 4, 8 })
        {
            var d = Directory.CreateDirectory(Path.Combine(dir, $"d{n}")).FullName;
            File.Copy(Fixtures.Path("ddpm", "tiny", "denoiser.onnx"), Path.Combine(d, "denoiser.onnx"));
            var card = JsonNode.Parse(File.ReadAllText(Fixtures.Path("ddpm", "tiny", "card.json")))!.AsObject();
            card["name"] = $"tiny-{n}";
            card["training"]!["images"] = n;
            card["training"]!["manifest_sha256"] = EmbeddingFiles.Sha256Of(Path.Combine(dir, "subsets", $"subset-{n}.csv"));
            File.WriteAllText(Path.Combine(d, "card.json"), card.ToJsonString());
            cards.Add(Path.Combine(d, "card.json"));
        }
        var p = new TrainingSizeSweepFigure.Parameters
        {
            Denoisers = string.Join(",", cards), Subsets = Path.Combine(dir, "subsets"), Models = "pixels", Count = 5, Steps = 3,
            GalleryRows = 2, WorkFolder = Path.Combine(dir, "work"),
        };
        return (p, dir);
    }

    [Fact]
    public void ASweepsAutomaticThresholdIsTheTrainingCalibrationNeverTheCopyDetectorsCard()
    {
        var (p, _) = Setup();
        p = p with { Models = "copy-detector" };
        var r = TrainingSizeSweepFigure.Sweep(p, TrainingSizeSweepFigure.Sample(p));
        Assert.NotNull(ModelCard.Load(BuiltinModels.CopyDetectorCardPath).Calibration);
        Assert.All(r.Rows, x => Assert.NotEqual("card-calibrated", x.Scan.Threshold.Source));
    }

    [Fact]
    public void EachSizeIsScannedAgainstItsOwnTrainingSetWithOneThresholdAndTheLargestSetEmbeddedOnce()
    {
        var (p, _) = Setup();
        var cases = TrainingSizeSweepFigure.Sample(p);
        Assert.Equal([4, 8], cases.Select(c => c.TrainingSize));
        var r = TrainingSizeSweepFigure.Sweep(p, cases);
        Assert.Equal([4, 8], r.Rows.Select(x => x.Scan.Training.Count));
        Assert.All(r.Rows, x => Assert.Equal(5, x.Scan.Generated.Count));
        Assert.Single(r.Rows.Select(x => x.Threshold).Distinct());
        // 8 training images against 1,024 pixel features: a rank-deficient covariance, so no Fréchet distance is given
        Assert.All(r.Rows, x => Assert.True(double.IsNaN(x.Frechet)));

        // the 8-image set was embedded by the model; the 4-image set took its rows (no work folder of its own)
        var embeddings = Path.Combine(p.WorkFolder, "sweep", "embeddings", "pixels-gray32");
        var small = EmbeddingFolder.Open(Path.Combine(embeddings, "training-4_training_images"));
        var large = EmbeddingFolder.Open(Path.Combine(embeddings, "training-8_training_images"));
        Assert.Empty(Directory.GetDirectories(small.Folder, ".work-*"));
        using (var sv = small.OpenVectors())
        using (var lv = large.OpenVectors())
        {
            var a = new float[small.RowLength];
            var b = new float[small.RowLength];
            for (int i = 0; i < small.Count; i++)
            {
                int j = large.Images.Select(x => x.Path).ToList().IndexOf(small.Images[i].Path);
                Assert.True(j >= 0);
                sv.ReadRows(i, 1, a);
                lv.ReadRows(j, 1, b);
                Assert.Equal(b, a);
            }
        }

        var reading = SweepCharts.Reading(r);
        Assert.Contains("4 images:", reading);
        Assert.Contains("8 images:", reading);
        Assert.Equal(2, TrainingSizeSweepFigure.Histograms(r).Count);
        Assert.Contains("<svg", TrainingSizeSweepFigure.FractionAbove(r).StaticSvg);
        Assert.Equal(2, SweepCharts.Table(r).Rows.Count);
    }

    [Fact]
    public void WithAReferenceEachModelIsMeasuredAgainstRealImagesAndTheReferenceAgainstEachTrainingSet()
    {
        var (p, _) = Setup();
        // the largest training set as the "held-out" reference: scanned against itself every image is its own copy, and
        // against the 4-image set those 4 are
        p = p with { Reference = Path.Combine(p.Subsets, "subset-8.csv") };
        var r = TrainingSizeSweepFigure.Sweep(p, TrainingSizeSweepFigure.Sample(p));
        Assert.All(r.Rows, x => Assert.NotNull(x.Quality));
        var tops4 = r.Rows[0].Quality!.ReferenceScan.Matches.TopScores();
        var tops8 = r.Rows[1].Quality!.ReferenceScan.Matches.TopScores();
        Assert.Equal(8, tops8.Length);
        Assert.All(tops8, v => Assert.True(v >= 0.999f, $"{v}"));
        Assert.True(tops4.Count(v => v >= 0.999f) >= 4);
        Assert.All(r.Rows, x => Assert.True(double.IsFinite(x.Quality!.KernelDistance.Mean)));
        Assert.All(r.Rows, x => Assert.Equal(5, x.Quality!.KernelDistance.SubsetSize)); // min(5 generations, 8 references)
        var baseline = Assert.Single(r.RealBaseline);
        Assert.Equal(4, baseline.Value.SubsetSize); // halves of 4 references, no larger than the 5 generations
        Assert.All(r.Rows, x => Assert.Equal(x.Copies.Fraction, x.FractionAbove, 1e-12));
        Assert.Contains("held-out real", SweepCharts.Reading(r));
        Assert.Contains("KID to held-out real", SweepCharts.Table(r).Columns.Select(c => c.Name));
        Assert.Equal(3, SweepCharts.MediansSpec(r).Series.Count);
        var missing = Assert.Throws<FigureParameterException>(() => (p with { Reference = "/nonexistent.csv" }).Validate());
        Assert.Contains("Reference", missing.Message);
    }

    [Fact]
    public void ASubsetOfImagesTheSourceNeverEmbeddedIsRefused()
    {
        var (p, dir) = Setup();
        var r = TrainingSizeSweepFigure.Sweep(p, TrainingSizeSweepFigure.Sample(p));
        var large = r.Rows[1].Scan.Training;
        var stranger = new ImageRecord("x", Path.Combine(dir, "nowhere.png"), "x");
        var e = Assert.Throws<InputDataException>(() => EmbeddingSubset.Write(large, [stranger], Path.Combine(dir, "bad")));
        Assert.Contains("not among the images embedded", e.Message);
    }

    [Fact]
    public void ParametersAreCheckedBeforeAnyWork()
    {
        var (p, _) = Setup();
        var missing = Assert.Throws<FigureParameterException>(() => (p with { Denoisers = "nope.json" }).Validate());
        Assert.Contains("Denoisers = \"nope.json\": not found", missing.Message);
        var noSubset = Assert.Throws<FigureParameterException>(() => (p with { Subsets = "/nonexistent" }).Validate());
        Assert.Contains("subset-4.csv not found", noSubset.Message);
        Assert.Throws<FigureParameterException>(() => (p with { Threshold = "high" }).Validate());
        // subsets regenerated with another seed are not what the models were trained on
        var other = Path.Combine(Path.GetDirectoryName(p.Subsets)!, "other");
        NestedSubsets.Write(NestedSubsets.Build(ImageCollection.FromFolder(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart")), [4, 8], seed: 5), other, "x");
        var wrong = Assert.Throws<FigureParameterException>(() => (p with { Subsets = other }).Validate());
        Assert.Contains("is not the training set of", wrong.Message);
        Assert.False(Directory.Exists(p.WorkFolder));
    }
}
