using Replication.Reporting.Metrics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Replication.Core.Onnx;
using Replication.Analyses.Scanning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Analyses.Scanning;

/// <summary>A model that embeds one image as -Inf: the scan names that image, leaves it out, and every other result stands.</summary>
public class NonFiniteScanTests
{
    /// <summary>log(GlobalAveragePool(x)) with mean 0, std 1: a black image embeds as (-Inf, -Inf, -Inf), coloured ones as finite rows.</summary>
    private static string LogPoolCard(string dir)
    {
        var model = new OnnxGraphBuilder("logpool")
            .Input("pixels", OnnxGraphBuilder.ElemFloat, "batch", 3, 8, 8)
            .Output("logpooled", OnnxGraphBuilder.ElemFloat, "batch", 3, 1, 1)
            .Node("GlobalAveragePool", ["pixels"], ["pooled"])
            .Node("Log", ["pooled"], ["logpooled"])
            .ToModel();
        File.WriteAllBytes(Path.Combine(dir, "logpool.onnx"), model);
        var card = new JsonObject
        {
            ["name"] = "logpool", ["onnx"] = "logpool.onnx", ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(model)),
            ["input"] = new JsonObject { ["name"] = "pixels", ["size"] = 8, ["resize"] = 8, ["mean"] = new JsonArray(0, 0, 0), ["std"] = new JsonArray(1, 1, 1), ["scale"] = 1.0 },
            ["output"] = new JsonObject { ["name"] = "logpooled", ["kind"] = "vector" },
            ["dim"] = 3,
        };
        var path = Path.Combine(dir, "logpool.json");
        File.WriteAllText(path, card.ToJsonString());
        return path;
    }

    private static void Solid(string path, byte r, byte g, byte b)
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(r, g, b));
        image.SaveAsPng(path);
    }

    [Fact]
    public void ANonFiniteEmbeddingIsNamedAndLeftOutWithoutChangingOtherMatches()
    {
        var root = Fixtures.TempFolder();
        var card = LogPoolCard(root);
        string gen = Path.Combine(root, "gen"), train = Path.Combine(root, "train");
        Directory.CreateDirectory(gen);
        Directory.CreateDirectory(train);
        (string Name, byte R, byte G, byte B)[] colours = [("red", 200, 30, 30), ("green", 30, 200, 30), ("blue", 30, 30, 200), ("grey", 90, 90, 90)];
        foreach (var (name, r, g, b) in colours)
        {
            Solid(Path.Combine(gen, name + ".png"), r, g, b);
            Solid(Path.Combine(train, name + ".png"), r, g, b);
        }
        Solid(Path.Combine(gen, "black.png"), 0, 0, 0);
        Solid(Path.Combine(train, "a-black.png"), 0, 0, 0); // sorts first among training rows

        var options = new ScanOptions { Generated = gen, Training = train, OutputFolder = Path.Combine(root, "out"), Model = card, TopK = 1, Threshold = ThresholdPolicy.Given(0.5) };
        var result = ReplicationScan.Run(options);
        Assert.Equal(["black.png"], result.NonFiniteGenerated);
        Assert.Equal(["a-black.png"], result.NonFiniteTraining);
        var genIds = result.Generated.Images.Select(i => i.Id).ToList();
        var trainIds = result.Training.Images.Select(i => i.Id).ToList();
        foreach (var (name, _, _, _) in colours)
            Assert.Equal(name + ".png", trainIds[(int)result.Matches.IndicesOf(genIds.IndexOf(name + ".png"))[0]]);

        // named in the report and in summary.json too, not only on standard error
        var html = File.ReadAllText(Path.Combine(root, "out", ScanReport.Html));
        Assert.Contains("NaN or infinite values and were left out of the search: black.png", html);
        Assert.Contains("a-black.png", File.ReadAllText(Path.Combine(root, "out", ScanReport.Summary)));

        var strict = Assert.Throws<InputDataException>(() => ReplicationScan.Run(options with { OutputFolder = Path.Combine(root, "strict"), Strict = true }));
        Assert.Contains("NaN or infinite", strict.Message);
    }
}
