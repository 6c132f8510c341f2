using Replication.Reporting.Metrics;
using System.CommandLine;
using System.Globalization;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Images;

namespace Replication.Cli.Commands;

/// <summary>The options several commands share (a new instance per command), and the checks they need before any work.</summary>
internal static class CommonOptions
{
    /// <summary>--model; the default is the toolkit's copy detector (the paper's extractors are cards; resnet18 is an object classifier).</summary>
    public static Option<string> Model(string @default = BuiltinModels.CopyDetectorName) => OptionKinds.Text("--model",
        $"model card JSON (models/export_models.py writes them), or a built-in: {string.Join(", ", BuiltinModels.Names)}", @default);

    public static Option<Setting<ComputeDevice>> Device() => OptionKinds.Setting("--device",
        "cpu or cuda (falls back to cpu with a warning when CUDA is unavailable)", "cpu", ComputeDeviceParser.Parse).Named("cpu|cuda");

    public static Option<string> Metric() => OptionKinds.Choice("--metric",
        "ip (cosine), split (the official split-product), split-cos (each chunk normalised, our variant) or tiled-l2 (Carlini et al.'s tiled ℓ2, as 1 − distance)",
        "ip", "ip", "split", "split-cos", "tiled-l2");

    public static Option<string> MetricOrCard() => OptionKinds.Choice("--metric",
        "auto (the model card's similarity), ip, split, split-cos or tiled-l2", "auto", "auto", "ip", "split", "split-cos", "tiled-l2");

    /// <summary>auto, paper or a number (<see cref="ThresholdPolicy"/>). A number's range is checked against the metric once the
    /// model card is known.</summary>
    public static Option<Setting<ThresholdPolicy>> Threshold(
        string description = "replica threshold: a number in the metric's range, paper (0.5), auto (the model card's threshold calibrated on unrelated pairs, as the copy detector's; else the training-calibrated 1% point when ≥ 100 training images; else the paper's 0.5) or training (the training-calibrated 1% point even when the card has a threshold)",
        string defaultValue = "auto") =>
        OptionKinds.Setting("--threshold", description, defaultValue, ParseThreshold).Named("auto|training|paper|NUMBER");

    public static Option<Setting<WhiteningMode>> Whiten() => OptionKinds.Setting("--whiten",
        "none, center, whiten (needs more training images than dimensions) or whiten-shrunk (Ledoit–Wolf): fitted on the training embeddings, applied to both sides",
        "none", Whitening.Parse).Named("none|center|whiten|whiten-shrunk");

    public static Option<string> Alpha() => OptionKinds.Choice("--alpha",
        "composite (transparent pixels onto --background, as people see them) or drop (the colour stored under them, as PIL's convert(\"RGB\") and the official pipelines)",
        "composite", "composite", "drop");

    public static Option<string> Background() => OptionKinds.Parsed("--background", "background for --alpha composite: white, black or #rrggbb", "white",
        text => { AlphaHandling.Parse("composite", text); return text; }).Named("white|black|#rrggbb");

    public static Option<int> Chunks() => OptionKinds.Int("--chunks", "chunks for --metric split (for token outputs: the token count) or tiles for tiled-l2", 4);

    /// <summary>Bounded by <see cref="EmbeddingPipeline.MaxBatchBytes"/> for the model's input size once the card is read (<see cref="CheckBatch"/>).</summary>
    public static Option<int> Batch() => OptionKinds.Int("--batch", "images per model call", 16);

    public static Option<Setting<long>> SearchMemory() => OptionKinds.Setting("--search-memory",
        "memory budget of the search, bytes or with a unit (512MiB, 4GiB); blocks are sized by it", "4GiB", ParseMemory).Named("SIZE");

    public static Option<bool> FollowSymlinks() => OptionKinds.Flag("--follow-symlinks",
        "follow symbolic links that lead out of an input folder (by default they are listed in skipped.csv, not followed)");

    public static Option<bool> AcceptTruncated() => OptionKinds.Flag("--accept-truncated",
        "decode truncated images with what they hold, as Pillow's ImageFile.LOAD_TRUNCATED_IMAGES = True (the official LAION search code); by default they are skipped, as Pillow does, and listed in skipped.csv");

    public static AlphaHandling ParseAlpha(string alpha, string background) => AlphaHandling.Parse(alpha, background);

    public static ThresholdPolicy ParseThreshold(string text) => ThresholdPolicy.Parse(text);

    /// <summary>A byte count or a number with KiB/MiB/GiB (also KB/MB/GB, read as binary units).</summary>
    public static long ParseMemory(string given)
    {
        string text = given.Trim();
        long unit = 1;
        foreach (var (suffix, value) in new[] { ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("B", 1L) })
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) { unit = value; text = text[..^suffix.Length].Trim(); break; }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number) || number <= 0)
            throw new UsageException($"--search-memory: '{given}' is not a size (e.g. 4GiB)", "--search-memory");
        double bytes = number * unit;
        if (bytes < Replication.Search.SearchMemory.MinimumBudgetBytes || bytes > long.MaxValue / 2)
            throw new UsageException($"--search-memory: {given} is outside {Replication.Search.SearchMemory.MinimumBudgetBytes >> 20}MiB..{long.MaxValue / 2 >> 30}GiB", "--search-memory");
        return (long)bytes;
    }

    /// <summary>The card of <c>--model</c>, read without the model (a built-in or a card file): refused before any work.</summary>
    public static ModelCard CardOf(string model)
    {
        if (BuiltinModels.IsBuiltin(model) || File.Exists(model)) return FeatureExtractor.CardOf(model);
        string message = $"--model {model}: neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file; " +
                         "export one with models/export_models.py (see models/README.md)";
        // a path that is not there is a missing file; a bare name is most likely a misspelt built-in
        bool looksLikePath = model.Contains('/') || model.Contains(Path.DirectorySeparatorChar) || Path.HasExtension(model);
        throw looksLikePath ? new InputMissingException(message, model) : new UsageException(message, "--model");
    }

    /// <summary><paramref name="batch"/> within what <see cref="EmbeddingPipeline.MaxBatchBytes"/> allows for the card's input size.</summary>
    public static int CheckBatch(int batch, ModelCard card)
    {
        int max = EmbeddingPipeline.MaxBatch(3 * card.Input.Size * card.Input.Size);
        if (batch > max)
            throw new UsageException($"--batch must be a whole number from 1 to {max} (a batch of {card.Input.Size}² inputs is held twice; at most {EmbeddingPipeline.MaxBatchBytes >> 30} GiB), not '{batch}'", "--batch");
        return batch;
    }

    /// <summary>null for "auto": the scan then takes the model card's similarity.</summary>
    public static Replication.Embeddings.Similarity? SimilarityOrAuto(string metric, int chunks) => metric == "auto" ? null : Replication.Embeddings.Similarity.Parse(metric, chunks);

    /// <summary>A file or folder named by <paramref name="option"/> that must exist.</summary>
    public static string Existing(string path, string option, string what = "file or folder")
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InputMissingException($"{option} {path}: no such {what}", path);
        return path;
    }
}
