using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Replication.Embeddings;
using Replication.Core.Onnx;

namespace Replication.Tests.Embeddings;

/// <summary>Hostile model cards and check lists: every problem found when the card is opened, one error naming the file and the field.</summary>
public class ModelCardTests
{
    private const int ElemDouble = 11;

    /// <summary>A GlobalAveragePool model ([N,3,8,8] → [N,3,1,1]) with the given element types, and its card.</summary>
    private static string WriteModel(Action<JsonObject>? edit = null, int inputType = OnnxGraphBuilder.ElemFloat, int outputType = OnnxGraphBuilder.ElemFloat)
    {
        var dir = Fixtures.TempFolder();
        var builder = new OnnxGraphBuilder("tiny").Input("pixels", inputType, "batch", 3, 8, 8);
        builder = outputType == OnnxGraphBuilder.ElemFloat
            ? builder.Output("pooled", outputType, "batch", 3, 1, 1).Node("GlobalAveragePool", ["pixels"], ["pooled"])
            : builder.Output("pooled", outputType, 1, 3, 8, 8).Node("ArgMax", ["pixels"], ["pooled"], NodeAttribute.Int("axis", 0));
        var model = builder.ToModel();
        File.WriteAllBytes(Path.Combine(dir, "tiny.onnx"), model);
        var card = new JsonObject
        {
            ["name"] = "tiny", ["onnx"] = "tiny.onnx", ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(model)),
            ["input"] = new JsonObject { ["name"] = "pixels", ["size"] = 8, ["resize"] = 8, ["interpolation"] = "bilinear", ["mean"] = new JsonArray(0.5, 0.5, 0.5), ["std"] = new JsonArray(0.5, 0.5, 0.5), ["scale"] = 1.0 },
            ["output"] = new JsonObject { ["name"] = "pooled", ["kind"] = "vector" },
            ["dim"] = 3,
        };
        edit?.Invoke(card);
        var path = Path.Combine(dir, "tiny.json");
        File.WriteAllText(path, card.ToJsonString());
        return path;
    }

    public static TheoryData<string, string> HostileCards() => new()
    {
        { """{"input": null}""", "'input'" },
        { """{"output": null}""", "'output'" },
        { """{"input": {"interpolation": null}}""", "interpolation" },
        { """{"input": {"name": null}}""", "'input.name'" },
        { """{"output": {"name": null}}""", "'output.name'" },
        { """{"input": {"size": 30000}}""", "'input.size'" },
        { """{"input": {"resize": 2000000000}}""", "'input.resize'" },
        { """{"input": {"mean": null}}""", "'input.mean'" },
        { """{"dim": "512"}""", "tiny.json" },
        { """{"name": null}""", "'name'" },
        { """{"calibration": {"threshold": 0.5, "exceedance": 0, "pairs": 10}}""", "'calibration.exceedance'" },
        { """{"calibration": {"threshold": 0.5, "exceedance": 0.001, "pairs": 0}}""", "'calibration.pairs'" },
        { """{"calibration": {"exceedance": 0.001, "pairs": 10}}""", "tiny.json" },
    };

    [Theory]
    [MemberData(nameof(HostileCards))]
    public void HostileCardFieldsAreNamedWhenTheCardIsOpened(string patch, string field)
    {
        var path = WriteModel(card => Merge(card, JsonNode.Parse(patch)!.AsObject()));
        var e = Assert.Throws<InputDataException>(() => ModelCard.Load(path));
        Assert.Contains("tiny.json", e.Message);
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    public void ACardThatIsNotAnObjectIsOneError(string json)
    {
        var path = WriteModel();
        File.WriteAllText(path, json);
        Assert.Contains("tiny.json", Assert.Throws<InputDataException>(() => ModelCard.Load(path)).Message);
    }

    [Fact]
    public void AFloat64InputOrAnIntegerOutputIsFoundWhenTheModelIsOpened()
    {
        var e = Assert.Throws<InputDataException>(() => FeatureExtractor.Open(WriteModel(inputType: ElemDouble)));
        Assert.Contains("float64", e.Message);
        Assert.Contains("'pixels'", e.Message);
        e = Assert.Throws<InputDataException>(() => FeatureExtractor.Open(WriteModel(outputType: OnnxGraphBuilder.ElemInt64)));
        Assert.Contains("int64", e.Message);
        Assert.Contains("'pooled'", e.Message);
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is JsonObject sub && target[key] is JsonObject existing)
                Merge(existing, sub);
            else
                target[key] = value?.DeepClone();
        }
    }
}
