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
        var clipart = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(8).ToArray();
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
            Denoiser = Path.Combine(cardDir, "card.json"), Training = manifest, Model = "pixels", PerClass = 3, Steps = 4, Guidance = 2,
            WorkFolder = Path.Combine(dir, "work"),
        }.Validate();
        var generated = PerClassStudyFigure.Sample(p);
        Assert.Equal(7, File.ReadAllLines(generated).Length);
        var r = PerClassStudyFigure.Study(p, generated);
        Assert.Equal(["a", "b"], r.Rows.Select(c => c.Class));
        Assert.All(r.Rows, c => Assert.Equal((3, 4), (c.Generated, c.Training)));
        Assert.Contains("<svg", PerClassStudyFigure.Scatter(r).StaticSvg);
        Assert.Contains("2 classes scored", PerClassStudyFigure.Reading(r).Html);

        var notItsData = Assert.Throws<FigureParameterException>(() => (p with { Denoiser = Fixtures.Path("ddpm", "tiny-conditional", "card.json") }).Validate());
        Assert.Contains("is not the training set of", notItsData.Message);
        var unconditional = Assert.Throws<FigureParameterException>(() => (p with { Denoiser = Fixtures.Path("ddpm", "tiny", "card.json") }).Validate());
        Assert.Contains("is not class-conditional", unconditional.Message);
    }
}
