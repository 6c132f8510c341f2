using Replication.Figures;

namespace Replication.Tests.Analyses.PerClass;

/// <summary>Figure 03 end to end on the tiny class-conditional fixture (classes a and b, trained 6 steps): sampled per class with
/// guidance in C#, studied against a labelled training manifest.</summary>
public class PerClassStudyFigureTests
{
    [Fact]
    public void SamplesEveryClassAndStudiesThem()
    {
        var dir = Fixtures.TempFolder();
        var clipart = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(10).ToArray();
        var manifest = Path.Combine(dir, "train.csv");
        File.WriteAllLines(manifest, ["path,label", .. clipart.Select((f, i) => $"{f},{(i % 2 == 0 ? "a" : "b")}")]);
        // the fixture card records the manifest it was trained on; this copy records the test's
        var cardDir = Directory.CreateDirectory(Path.Combine(dir, "card")).FullName;
        File.Copy(Fixtures.Path("ddpm", "tiny-conditional", "denoiser.onnx"), Path.Combine(cardDir, "denoiser.onnx"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Fixtures.Path("ddpm", "tiny-conditional", "card.json")))!;
        json["training"]!["manifest_sha256"] = Replication.Embeddings.EmbeddingFiles.Sha256Of(manifest);
        File.WriteAllText(Path.Combine(cardDir, "card.json"), json.ToJsonString());
        var p = new PerClassStudyFigure.Parameters
        {
            Denoiser = Path.Combine(cardDir, "card.json"), Training = manifest, Model = "pixels", PerClass = 3, Steps = 4, Guidance = "2",
            WorkFolder = Path.Combine(dir, "work"),
        }.Validate();
        var generated = PerClassStudyFigure.Sample(p);
        Assert.Equal(7, File.ReadAllLines(generated).Length);
        var r = PerClassStudyFigure.Study(p, generated);
        Assert.Equal(["a", "b"], r.Rows.Select(c => c.Class));
        Assert.All(r.Rows, c => Assert.Equal((3, 5), (c.Generated, c.Training)));
        Assert.Contains("<svg", PerClassStudyFigure.Scatter(r).StaticSvg);
        Assert.Contains("2 classes scored", PerClassStudyFigure.Reading(r).Html);

        Assert.Equal(2, p.GuidanceScale(Replication.Data.Diffusion.DenoiserCard.Load(p.Denoiser)));
        var notANumber = Assert.Throws<FigureParameterException>(() => (p with { Guidance = "strong" }).Validate());
        Assert.Contains("card", notANumber.Message);

        var notItsData = Assert.Throws<FigureParameterException>(() => (p with { Denoiser = Fixtures.Path("ddpm", "tiny-conditional", "card.json") }).Validate());
        Assert.Contains("is not the training set of", notItsData.Message);
        var unconditional = Assert.Throws<FigureParameterException>(() => (p with { Denoiser = Fixtures.Path("ddpm", "tiny", "card.json") }).Validate());
        Assert.Contains("is not class-conditional", unconditional.Message);
    }

    [Fact]
    public void GuidanceIsChosenByOwnClassRateAndWrittenOnTheCard()
    {
        var dir = Fixtures.TempFolder();
        var clipart = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(6).ToArray();
        var manifest = Path.Combine(dir, "train.csv");
        File.WriteAllLines(manifest, ["path,label", .. clipart.Select((f, i) => $"{f},{(i % 2 == 0 ? "a" : "b")}")]);
        var cardDir = Directory.CreateDirectory(Path.Combine(dir, "card")).FullName;
        File.Copy(Fixtures.Path("ddpm", "tiny-conditional", "denoiser.onnx"), Path.Combine(cardDir, "denoiser.onnx"));
        File.Copy(Fixtures.Path("ddpm", "tiny-conditional", "card.json"), Path.Combine(cardDir, "card.json"));
        string card = Path.Combine(cardDir, "card.json");
        var o = new Replication.Analyses.PerClass.GuidanceOptions { Denoiser = card, Training = manifest, WorkFolder = Path.Combine(dir, "work"), Scales = [3, 1], PerClass = 4, Steps = 3 };
        var result = Replication.Analyses.PerClass.GuidanceChoice.Run(o);
        Assert.Equal([1.0, 3.0], result.Rows.Select(r => r.Scale));
        Assert.All(result.Rows, r => Assert.Equal(8, r.OwnClass.Total));
        Assert.All(result.Rows, r => Assert.Equal(0.5, r.Chance, 12)); // 4 + 4 generations, 3 + 3 training images
        var expected = result.Rows.Any(r => r.OwnClass.Fraction >= 0.6)
            ? result.Rows.Where(r => r.OwnClass.Fraction >= 0.6).Min(r => r.Scale)
            : result.Rows.MaxBy(r => r.OwnClass.Fraction)!.Scale;
        Assert.Equal(expected, result.Chosen);
        Assert.Contains("chosen:", result.Describe());

        Replication.Analyses.PerClass.GuidanceChoice.WriteToCard(card, result);
        var loaded = Replication.Data.Diffusion.DenoiserCard.Load(card);
        Assert.Equal(result.Chosen, loaded.Guidance);
        Assert.Equal(result.Chosen, new PerClassStudyFigure.Parameters { Denoiser = card }.GuidanceScale(loaded));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(card))!;
        Assert.Equal(2, json["guidanceMeasured"]!["ownClass"]!.AsArray().Count);
        Assert.Equal(2, json["nullClass"]!.GetValue<int>()); // the card's other fields are kept

        var noScale = Assert.Throws<Replication.ParameterException>(() => Replication.Analyses.PerClass.GuidanceChoice.Run(o with { Scales = [] }));
        Assert.Equal("Scales", noScale.Parameter);
        var unconditional = Assert.Throws<Replication.ParameterException>(() => Replication.Analyses.PerClass.GuidanceChoice.Run(o with { Denoiser = Fixtures.Path("ddpm", "tiny", "card.json") }));
        Assert.Contains("not class-conditional", unconditional.Message);
    }
}
