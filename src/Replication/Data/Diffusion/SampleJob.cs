using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Replication.Embeddings;
using Replication.Core.Files;
using Replication.Core.Formats;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Diffusion;

/// <summary>
/// Draws images from a denoiser into a folder: <c>NNNNNN.png</c> (each written under a temporary name and renamed when
/// complete), <c>manifest.csv</c> (path, id, label, index; written last, so its presence means the run finished) and
/// <c>sample.json</c> (the settings that fix the images). Image i depends only on (seed, i), so an interrupted run resumes
/// where it stopped, a larger <c>--count</c> adds images, and the batch size does not change any image. Settings that would
/// change existing images (another card, sampler, seed, classes or device) are refused for an existing folder.
/// </summary>
public static class SampleJob
{
    public const string Settings = "sample.json";
    public const string Manifest = "manifest.csv";

    public static SampleResult Run(SampleOptions o, IProgress<EmbeddingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Count < 1) throw new ArgumentOutOfRangeException(nameof(o), "count must be ≥ 1");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o), "batch size must be ≥ 1");
        var card = DenoiserCard.Load(o.Denoiser);
        long[] classOf = ClassAssignment(card, o.Classes);
        DiffusionSampler.Check(card, o.Sampler); // before anything is written: a refused setting must not claim the folder
        Directory.CreateDirectory(o.OutputFolder);
        using var outputLock = OutputLock.Acquire(o.OutputFolder);
        foreach (var stale in Directory.GetFiles(o.OutputFolder, ".*.partial"))
            File.Delete(stale); // an image or listing a killed run was writing (we hold the lock: no one else is)
        var settings = Fingerprint(card, o, classOf);
        string settingsPath = Path.Combine(o.OutputFolder, Settings);
        if (File.Exists(settingsPath))
        {
            var before = JsonNode.Parse(File.ReadAllText(settingsPath))?["fingerprint"];
            if (!JsonNode.DeepEquals(before, settings))
                throw new InputDataException($"{o.OutputFolder}: holds images drawn with other settings ({Describe(before as JsonObject, settings)}); choose another output folder");
        }
        AtomicFile.WriteAllText(settingsPath, new JsonObject { ["fingerprint"] = settings.DeepClone(), ["complete"] = false }.ToJsonString(ModelCard.Json));

        var missing = Enumerable.Range(0, o.Count).Where(i => !File.Exists(ImagePath(o.OutputFolder, i))).ToList();
        int reused = o.Count - missing.Count;
        progress?.Report(new EmbeddingProgress(reused, o.Count, 0, 0));
        double rate = 0;
        int calls = 0;
        if (missing.Count > 0)
        {
            using var denoiser = new OnnxDenoiser(card, o.Device);
            var sampler = new DiffusionSampler(denoiser, o.Sampler);
            calls = sampler.NetworkCalls;
            var clock = Stopwatch.StartNew();
            int done = 0;
            foreach (var batch in missing.Chunk(o.BatchSize))
            {
                var streams = batch.Select(i => new NoiseStream(o.Seed, i)).ToList();
                long[]? classes = card.Conditional ? batch.Select(i => classOf[i % classOf.Length]).ToArray() : null;
                var x = sampler.Sample(streams, classes);
                int len = denoiser.SampleLength;
                for (int j = 0; j < batch.Length; j++)
                {
                    var rgb = DiffusionSampler.ToRgb(x.AsSpan(j * len, len), card.ImageSize);
                    using var image = Image.LoadPixelData<Rgb24>(rgb, card.ImageSize, card.ImageSize);
                    AtomicFile.Write(ImagePath(o.OutputFolder, batch[j]), s => image.SaveAsPng(s));
                }
                done += batch.Length;
                rate = done / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                progress?.Report(new EmbeddingProgress(reused + done, o.Count, 0, rate));
            }
        }
        var lines = new List<string> { "path,id,label,index" };
        for (int i = 0; i < o.Count; i++)
        {
            string name = Path.GetFileName(ImagePath(o.OutputFolder, i));
            string label = card.Conditional ? card.Classes![classOf[i % classOf.Length]] : "";
            lines.Add(CsvTable.Line(name, name, label, i));
        }
        string manifest = Path.Combine(o.OutputFolder, Manifest);
        AtomicFile.WriteAllText(manifest, string.Join('\n', lines) + "\n");
        AtomicFile.WriteAllText(settingsPath, new JsonObject
        {
            ["fingerprint"] = settings, ["complete"] = true, ["count"] = o.Count,
            ["images_per_second"] = Math.Round(rate, 3), ["denoiser_card"] = Path.GetFullPath(o.Denoiser),
        }.ToJsonString(ModelCard.Json));
        return new SampleResult(o.OutputFolder, manifest, o.Count, reused, rate, calls);
    }

    public static string ImagePath(string folder, int index) => Path.Combine(folder, index.ToString("D6", CultureInfo.InvariantCulture) + ".png");

    private static long[] ClassAssignment(DenoiserCard card, IReadOnlyList<string>? classes)
    {
        if (!card.Conditional)
        {
            if (classes is { Count: > 0 }) throw new InputDataException($"{card.CardPath}: this denoiser is unconditional; it takes no classes");
            return [0];
        }
        return classes is { Count: > 0 } ? classes.Select(c => (long)card.ClassIndex(c)).ToArray() : Enumerable.Range(0, card.Classes!.Length).Select(i => (long)i).ToArray();
    }

    private static JsonObject Fingerprint(DenoiserCard card, SampleOptions o, long[] classOf) => new()
    {
        ["denoiser_sha256"] = card.Sha256, ["denoiser"] = card.Name, ["image_size"] = card.ImageSize,
        ["sampler"] = o.Sampler.Kind.ToString().ToLowerInvariant(),
        ["steps"] = o.Sampler.Kind == SamplerKind.Ddpm ? card.Steps : o.Sampler.Steps, ["eta"] = o.Sampler.Eta,
        ["guidance_scale"] = o.Sampler.GuidanceScale,
        ["seed"] = o.Seed, ["classes"] = card.Conditional ? new JsonArray(classOf.Select(c => (JsonNode)card.Classes![c]).ToArray()) : null,
        ["clip_sample"] = card.ClipSample, ["variance_type"] = card.VarianceType, ["device"] = o.Device.ToString().ToLowerInvariant(),
        ["schedule"] = card.Schedule, ["train_steps"] = card.Steps, ["null_class"] = card.NullClass,
        ["noise"] = "NoiseStream(seed, image index): SplitMix64 and Box-Muller",
    };

    private static string Describe(JsonObject? before, JsonObject now)
    {
        if (before is null) return "unreadable settings";
        var diffs = now.Select(kv => kv.Key).Where(k => !JsonNode.DeepEquals(before[k], now[k]))
            .Select(k => $"{k} {before[k]?.ToJsonString() ?? "null"} there, {now[k]?.ToJsonString() ?? "null"} now");
        return string.Join("; ", diffs);
    }
}
