using System.Security.Cryptography;
using System.Text.Json;
using Replication.Embeddings;
using Replication.Images;
using Replication.Core.Onnx;

namespace Replication.Tests.Embeddings;

public class FeatureExtractorTests
{
    [Fact]
    public void BuiltinBatchedGraphGivesTheSameEmbeddingsAsTheOriginalFixedBatch()
    {
        using var batched = FeatureExtractor.Open("resnet18", batched: true);
        using var single = FeatureExtractor.Open("resnet18", batched: false);
        Assert.False(batched.FixedBatchOfOne);
        Assert.True(single.FixedBatchOfOne);
        var images = new[] { "chelsea.png", "camera.png", "horse.png" }.Select(f => ImageDecoder.Decode(Fixtures.Path("preprocessing", f))).ToArray();
        int len = batched.Preprocessor.TensorLength;
        var tensor = new float[images.Length * len];
        for (int i = 0; i < images.Length; i++) batched.Preprocessor.Apply(images[i], tensor.AsSpan(i * len, len));
        var a = batched.Embed(tensor, images.Length);
        var b = single.Embed(tensor, images.Length);
        Assert.Equal(3 * 512, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-3f * Math.Max(1, Math.Abs(b[i])), $"{i}: {a[i]} vs {b[i]}");
        // different images give different embeddings
        Assert.NotEqual(a[..512], a[512..1024]);
    }

    private static (string Card, string Onnx) WriteTinyModel(string dir, Action<Dictionary<string, object>>? edit = null)
    {
        // A real (tiny) model: GlobalAveragePool over [N,3,8,8] → [N,3,1,1], so dim = 3.
        var model = new OnnxGraphBuilder("tiny")
            .Input("pixels", OnnxGraphBuilder.ElemFloat, "batch", 3, 8, 8)
            .Output("pooled", OnnxGraphBuilder.ElemFloat, "batch", 3, 1, 1)
            .Node("GlobalAveragePool", ["pixels"], ["pooled"])
            .ToModel();
        var onnx = Path.Combine(dir, "tiny.onnx");
        File.WriteAllBytes(onnx, model);
        var card = new Dictionary<string, object>
        {
            ["name"] = "tiny", ["onnx"] = "tiny.onnx", ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(model)),
            ["input"] = new Dictionary<string, object> { ["name"] = "pixels", ["size"] = 8, ["resize"] = 8, ["interpolation"] = "bilinear", ["mean"] = new[] { 0.5, 0.5, 0.5 }, ["std"] = new[] { 0.5, 0.5, 0.5 }, ["scale"] = 1.0 },
            ["output"] = new Dictionary<string, object> { ["name"] = "pooled", ["kind"] = "vector" },
            ["dim"] = 3, ["source"] = "test", ["license"] = "test",
        };
        edit?.Invoke(card);
        var cardPath = Path.Combine(dir, "tiny.json");
        File.WriteAllText(cardPath, JsonSerializer.Serialize(card));
        return (cardPath, onnx);
    }

    [Fact]
    public void TinyCardModelEmbedsTheMeanNormalisedColour()
    {
        var dir = Fixtures.TempFolder();
        var (card, _) = WriteTinyModel(dir);
        using var ex = FeatureExtractor.Open(card);
        var img = new RgbImage(8, 8, Enumerable.Range(0, 64).SelectMany(_ => new byte[] { 255, 0, 51 }).ToArray());
        var t = new float[ex.Preprocessor.TensorLength];
        ex.Preprocessor.Apply(img, t);
        var e = ex.Embed(t, 1);
        Assert.Equal(1f, e[0], 5);     // (1 - 0.5) / 0.5
        Assert.Equal(-1f, e[1], 5);
        Assert.Equal(-0.6f, e[2], 5);  // (0.2 - 0.5) / 0.5
    }

    [Fact]
    public void ShaMismatchIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        var (card, _) = WriteTinyModel(dir, c => c["sha256"] = new string('0', 64));
        var e = Assert.Throws<InputDataException>(() => FeatureExtractor.Open(card));
        Assert.Contains("sha256", e.Message);
        Assert.Contains("tiny.json", e.Message);
    }

    [Fact]
    public void MissingModelFileIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        var (card, onnx) = WriteTinyModel(dir);
        File.Delete(onnx);
        var e = Assert.Throws<InputMissingException>(() => FeatureExtractor.Open(card));
        Assert.Contains("tiny.onnx", e.Message);
    }

    [Fact]
    public void WrongInputOrOutputNameOrShapeIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        var (card, _) = WriteTinyModel(dir, c => ((Dictionary<string, object>)c["input"])["name"] = "image");
        Assert.Contains("no input 'image'", Assert.Throws<InputDataException>(() => FeatureExtractor.Open(card)).Message);
        (card, _) = WriteTinyModel(Fixtures.TempFolder(), c => ((Dictionary<string, object>)c["output"])["name"] = "features");
        Assert.Contains("no output 'features'", Assert.Throws<InputDataException>(() => FeatureExtractor.Open(card)).Message);
        (card, _) = WriteTinyModel(Fixtures.TempFolder(), c => ((Dictionary<string, object>)c["input"])["size"] = 224);
        Assert.Contains("shape", Assert.Throws<InputDataException>(() => FeatureExtractor.Open(card)).Message);
    }

    [Fact]
    public void CorruptOnnxFileWithMatchingShaIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        var garbage = "definitely not protobuf"u8.ToArray();
        var (card, onnx) = WriteTinyModel(dir, c => c["sha256"] = Convert.ToHexStringLower(SHA256.HashData("definitely not protobuf"u8.ToArray())));
        File.WriteAllBytes(onnx, garbage);
        var e = Assert.ThrowsAny<InputDataException>(() => FeatureExtractor.Open(card));
        Assert.Contains("tiny", e.Message);
    }

    [Fact]
    public void DimMismatchIsReportedOnFirstBatch()
    {
        var dir = Fixtures.TempFolder();
        var (card, _) = WriteTinyModel(dir, c => c["dim"] = 5);
        using var ex = FeatureExtractor.Open(card);
        Assert.Contains("dim 5", Assert.Throws<InputDataException>(() => ex.Embed(new float[ex.Preprocessor.TensorLength], 1)).Message);
    }

    [Fact]
    public void InvalidCardFieldsAreNamed()
    {
        var dir = Fixtures.TempFolder();
        var (card, _) = WriteTinyModel(dir, c => ((Dictionary<string, object>)c["output"])["kind"] = "map");
        Assert.Contains("output.kind", Assert.Throws<InputDataException>(() => ModelCard.Load(card)).Message);
        File.WriteAllText(card, "{ not json");
        Assert.Contains("tiny.json", Assert.Throws<InputDataException>(() => ModelCard.Load(card)).Message);
    }
}
