using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replication.Analyses.Scanning;
using Replication.Core.Files;
using Replication.Embeddings;
using Replication.Images;

namespace Replication.Analyses.Calibration;

/// <summary>
/// Embeds a labelled calibration manifest with a model (resumably, reused on a rerun), calibrates the threshold on its unrelated
/// pairs (<see cref="UnrelatedPairCalibration"/>) and writes <c>calibration.json</c> and <c>highest-pairs.csv</c>;
/// <see cref="WriteToCard"/> records the result as the card's <c>calibration</c>.
/// </summary>
public static class PairCalibrationRun
{
    public const string ResultFile = "calibration.json";
    public const string HighestFile = "highest-pairs.csv";

    public static PairCalibrationResult Run(PairCalibrationOptions o, ScanProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (!(o.Exceedance > 0 && o.Exceedance <= UnrelatedPairCalibration.MaxExceedance))
            throw new ParameterException(nameof(o.Exceedance), o.Exceedance, $"must be above 0 and at most {UnrelatedPairCalibration.MaxExceedance}");
        var images = ImageCollection.Open(o.Images);
        if (images.Count > UnrelatedPairCalibration.MaxImages)
            throw new ParameterException(nameof(o.Images), o.Images, $"lists {images.Count:N0} images; at most {UnrelatedPairCalibration.MaxImages:N0} are calibrated (every pair is scored)");
        if (images.FirstOrDefault(i => string.IsNullOrWhiteSpace(i.Label)) is { } unlabelled)
            throw new InputDataException($"{o.Images}: {unlabelled.Id} has no label; the calibration manifest needs a label column naming each image's groups (';'-separated; pairs that share a group are not counted as unrelated)");
        progress ??= new ScanProgress();
        using var extractor = FeatureExtractor.Open(o.Model, o.Device);
        var folder = EmbeddingJob.Run(images, extractor, Path.Combine(o.OutputFolder, "embeddings"), o.BatchSize,
            progress: progress.Embedding?.Invoke("embedding the calibration images"));
        var similarity = extractor.Card.DefaultSimilarity(folder.Chunks);
        using var vectors = folder.OpenVectors();
        var result = UnrelatedPairCalibration.Calibrate(vectors, folder.Images.Select(i => i.Id).ToList(), folder.Images.Select(i => i.Label).ToList(),
            similarity, o.Exceedance, extractor.Card.Name) with
        {
            Set = $"{Path.GetFileName(o.Images)}: {folder.Count:N0} images ({folder.Skipped.Count} unreadable left out); a pair is unrelated when the two images share no group of their label",
        };
        Write(o.OutputFolder, result);
        return result;
    }

    private static void Write(string folder, PairCalibrationResult r)
    {
        Directory.CreateDirectory(folder);
        var json = new JsonObject
        {
            ["model"] = r.Model, ["images"] = r.Images, ["groups"] = r.Groups, ["pairs"] = r.Pairs, ["set"] = r.Set,
            ["threshold"] = r.Chosen.Threshold, ["exceedance"] = r.Chosen.Exceedance, ["above"] = r.Chosen.Above,
            ["quantiles"] = new JsonArray(r.Quantiles.Select(q => (JsonNode)new JsonObject
            {
                ["exceedance"] = q.Exceedance, ["threshold"] = q.Threshold, ["above"] = q.Above,
            }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, ResultFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var csv = new StringBuilder("rank,score,first,second\n");
        for (int k = 0; k < r.Highest.Count; k++)
            csv.Append(CultureInfo.InvariantCulture, $"{k + 1},{r.Highest[k].Score:0.######},{Csv(r.Highest[k].First)},{Csv(r.Highest[k].Second)}\n");
        AtomicFile.WriteAllText(Path.Combine(folder, HighestFile), csv.ToString());
    }

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    /// <summary>Writes the result as the card file's <c>calibration</c> (its other fields as they are) and checks the card still loads.</summary>
    public static void WriteToCard(string cardPath, PairCalibrationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!File.Exists(cardPath))
            throw new ParameterException("Card", cardPath, "is not a card file; give the card JSON to write the calibration into (a built-in's card beside the library is not written)");
        var node = JsonNode.Parse(File.ReadAllText(cardPath)) as JsonObject ?? throw new InputDataException($"{cardPath}: not a JSON object");
        string? name = node["name"]?.GetValue<string>();
        if (result.Model.Length > 0 && name != result.Model)
            throw new ParameterException("Card", cardPath, $"is the card of '{name}', but the calibration was measured with '{result.Model}'; give that model's card");
        node["calibration"] = JsonSerializer.SerializeToNode(result.ToCard(), ModelCard.Json);
        AtomicFile.WriteAllText(cardPath, node.ToJsonString(ModelCard.Json) + "\n");
        _ = ModelCard.Load(cardPath);
    }
}
