using System.Text.Json;
using System.Text.Json.Nodes;
using Replication.Images;
using Replication.Core.Formats;

namespace Replication.Embeddings;

/// <summary>
/// Checks an exported model against the PyTorch outputs that models/export_models.py saved beside it
/// (<c>MODEL.check/check.json</c>): the same images through this library's preprocessing and ONNX Runtime.
/// </summary>
public static class ExportCheck
{
    public sealed record Result(string Image, double MaxAbsDifference, double MaxReferenceMagnitude);

    public static IReadOnlyList<Result> Verify(string cardPath, Replication.Core.Compute.ComputeDevice device = Replication.Core.Compute.ComputeDevice.Cpu)
    {
        var card = ModelCard.Load(cardPath);
        string folder = Path.Combine(card.BaseDirectory, Path.GetFileNameWithoutExtension(card.Onnx) + ".check");
        string listPath = Path.Combine(folder, "check.json");
        if (!File.Exists(listPath))
            throw new InputMissingException($"{cardPath}: no reference outputs at {listPath} (export_models.py writes them)", listPath);
        var entries = Replication.Core.Files.JsonFile.ReadArray(listPath, "a list of {\"image\": ..., \"reference\": ...} entries is expected");
        if (entries.Count == 0)
            throw new InputDataException($"{listPath}: no check images listed: nothing would be compared (rerun export_models.py)");
        using var extractor = FeatureExtractor.Open(card, card.ReadVerifiedModel(), device);
        var results = new List<Result>();
        for (int n = 0; n < entries.Count; n++)
        {
            if (entries[n] is not JsonObject e)
                throw new InputDataException($"{listPath}: entry {n + 1} is {(entries[n] is null ? "null" : entries[n]!.ToJsonString())}, not an object with 'image' and 'reference'");
            string image = Path.Combine(folder, Text(e, "image", listPath, n));
            string reference = Path.Combine(folder, Text(e, "reference", listPath, n));
            var expected = NpyMatrix.ReadAll(reference, out _, out _);
            var tensor = new float[extractor.Preprocessor.TensorLength];
            extractor.Preprocessor.Apply(ImageDecoder.Decode(image), tensor);
            var actual = extractor.Embed(tensor, 1);
            if (actual.Length != expected.Length)
                throw new InputDataException($"{reference}: {expected.Length} values, the model gives {actual.Length}");
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

    private static string Text(JsonObject entry, string field, string listPath, int n) =>
        entry[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } text
            ? text
            : throw new InputDataException($"{listPath}: entry {n + 1}: '{field}' must be a file name, found {entry[field]?.ToJsonString() ?? "nothing"}");
}
