using System.Globalization;
using System.Text.Json.Nodes;
using Replication.Analyses.Scanning;
using Replication.Core.Files;
using Replication.Data.Datasets;
using Replication.Data.Diffusion;
using Replication.Embeddings;

namespace Replication.Analyses.PerClass;

/// <summary>
/// The guidance scale of a class-conditional denoiser chosen by measurement: at each scale, <see cref="GuidanceOptions.PerClass"/>
/// generations per class are drawn and each is given the class of its nearest training image (over all classes, the images as
/// the model saw them); the own-class rate is the fraction whose nearest image is of the class the sampler was asked for. The
/// smallest scale that reaches <see cref="ClassStudyResult.FollowsLabelsAt"/> is chosen (more guidance than needed narrows the
/// generations), else the best. <see cref="WriteToCard"/> records the choice and the measurement on the card.
/// </summary>
public static class GuidanceChoice
{
    public static GuidanceChoiceResult Run(GuidanceOptions o, ScanProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Scales.Count == 0) throw new ParameterException(nameof(o.Scales), "needs at least one guidance scale");
        foreach (double s in o.Scales)
            if (!double.IsFinite(s)) throw new ParameterException(nameof(o.Scales), s, "must be finite numbers");
        if (o.PerClass < 1) throw new ParameterException(nameof(o.PerClass), o.PerClass, "must be at least 1");
        var card = DenoiserCard.Load(o.Denoiser);
        if (!card.Conditional) throw new ParameterException(nameof(o.Denoiser), o.Denoiser, "is not class-conditional (its card has no classInput)");
        var guided = o.Scales.Where(s => s != 1).ToList();
        if (guided.Count > 0 && card.NullClass is null)
            throw new ParameterException(nameof(o.Scales), guided[0], "needs a denoiser trained with a null class (nullClass on its card)");
        progress ??= new ScanProgress();
        string view = ModelView.Write(o.Training, card.ImageSize, Path.Combine(o.WorkFolder, "training-view"));
        var rows = new List<GuidanceRow>();
        string modelName = o.Model;
        foreach (double scale in o.Scales.Distinct().Order())
        {
            string samples = SampleJob.Run(new SampleOptions
            {
                Denoiser = o.Denoiser, OutputFolder = SampleFolder(o.WorkFolder, card, o.Steps, scale, o.Seed), Count = o.PerClass * card.Classes!.Length,
                BatchSize = o.SampleBatch, Seed = o.Seed, Sampler = new SamplerSettings(SamplerKind.Ddim, o.Steps, 0, scale), Device = o.Device,
            }, progress.Embedding?.Invoke(string.Create(CultureInfo.InvariantCulture, $"sampling at guidance {scale:0.##}"))).Manifest;
            var study = PerClassStudy.Run(new ClassStudyOptions
            {
                Generated = samples, Training = view, Model = o.Model, Device = o.Device, Seed = o.Seed, MinimumTraining = 2, Permutations = 1,
                WorkFolder = Path.Combine(o.WorkFolder, "guidance", string.Create(CultureInfo.InvariantCulture, $"g{scale}")),
            }, progress);
            modelName = study.ModelName;
            rows.Add(new GuidanceRow(scale, study.OwnClass, study.OwnClassChance, samples));
        }
        var reaching = rows.Where(r => r.OwnClass.Fraction >= ClassStudyResult.FollowsLabelsAt).ToList();
        var chosen = reaching.Count > 0 ? reaching.MinBy(r => r.Scale)! : rows.MaxBy(r => r.OwnClass.Fraction)!;
        return new GuidanceChoiceResult(o, modelName, rows, chosen.Scale, reaching.Count > 0);
    }

    /// <summary>Where generations of <paramref name="card"/> at these settings are drawn under a work folder (notebook 03 draws into the same place, so that its
    /// first images are these).</summary>
    public static string SampleFolder(string workFolder, DenoiserCard card, int steps, double guidance, ulong seed) =>
        Path.Combine(workFolder, "samples", FormattableString.Invariant($"{card.Name}-{card.Sha256[..8]}-ddim{steps}-g{guidance}-seed{seed}"));

    /// <summary>Writes <c>guidance</c> (the chosen scale) and <c>guidanceMeasured</c> (each scale's own-class rate, the extractor,
    /// generations per class, DDIM steps) into the card file, leaving its other fields as they are.</summary>
    public static void WriteToCard(string cardPath, GuidanceChoiceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var node = JsonNode.Parse(File.ReadAllText(cardPath)) as JsonObject ?? throw new InputDataException($"{cardPath}: not a JSON object");
        node["guidance"] = result.Chosen;
        node["guidanceMeasured"] = new JsonObject
        {
            ["rule"] = $"the smallest scale with own-class rate ≥ {ClassStudyResult.FollowsLabelsAt.ToString(CultureInfo.InvariantCulture)} (nearest training image over all classes), else the highest rate",
            ["reached"] = result.Reached, ["extractor"] = result.ModelName, ["perClass"] = result.Options.PerClass,
            ["ddimSteps"] = result.Options.Steps, ["seed"] = result.Options.Seed,
            ["ownClass"] = new JsonArray(result.Rows.Select(r => (JsonNode)new JsonObject
            {
                ["scale"] = r.Scale, ["rate"] = Math.Round(r.OwnClass.Fraction, 4), ["low"] = Math.Round(r.OwnClass.Low, 4),
                ["high"] = Math.Round(r.OwnClass.High, 4), ["chance"] = Math.Round(r.Chance, 4),
            }).ToArray()),
        };
        AtomicFile.WriteAllText(cardPath, node.ToJsonString(ModelCard.Json) + "\n");
        _ = DenoiserCard.Load(cardPath); // still a valid card
    }
}
