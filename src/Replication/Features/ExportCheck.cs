using System.Text.Json;
using System.Text.Json.Nodes;
using Replication.Imaging;
using Replication.Storage;

namespace Replication.Features;

/// <summary>
/// Checks an exported model against the PyTorch outputs that models/export_models.py saved beside it
/// (<c>MODEL.check/check.json</c>): the same images through this library's preprocessing and ONNX Runtime.
/// </summary>
public static class ExportCheck
{
    public sealed record Result(string Image, double MaxAbsDifference, double MaxReferenceMagnitude);

    public static IReadOnlyList<Result> Verify(string cardPath, Compute.ComputeDevice device = Compute.ComputeDevice.Cpu)
    {
        var card = ModelCard.Load(cardPath);
        string folder = Path.Combine(card.BaseDirectory, Path.GetFileNameWithoutExtension(card.Onnx) + ".check");
        string listPath = Path.Combine(folder, "check.json");
        if (!File.Exists(listPath))
            throw new FileNotFoundException($"{cardPath}: no reference outputs at {listPath} (export_models.py writes them)", listPath);
        var entries = JsonNode.Parse(File.ReadAllText(listPath))?.AsArray()
                      ?? throw new InvalidDataException($"{listPath}: not a list");
        using var extractor = FeatureExtractor.Open(card, card.ReadVerifiedModel(), device);
        var results = new List<Result>();
        foreach (var e in entries)
        {
            if (e is null) throw new InvalidDataException($"{listPath}: empty entry");
            string image = Path.Combine(folder, (string?)e["image"] ?? throw new InvalidDataException($"{listPath}: entry without 'image'"));
            string reference = Path.Combine(folder, (string?)e["reference"] ?? throw new InvalidDataException($"{listPath}: entry without 'reference'"));
            var expected = NpyMatrix.ReadAll(reference, out _, out _);
            var tensor = new float[extractor.Preprocessor.TensorLength];
            extractor.Preprocessor.Apply(ImageDecoder.Decode(image), tensor);
            var actual = extractor.Embed(tensor, 1);
            if (actual.Length != expected.Length)
                throw new InvalidDataException($"{reference}: {expected.Length} values, the model gives {actual.Length}");
            double max = 0, mag = 0;
            for (int i = 0; i < actual.Length; i++)
            {
                max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
                mag = Math.Max(mag, Math.Abs(expected[i]));
            }
            results.Add(new Result(Path.GetFileName(image), max, mag));
        }
        return results;
    }
}
