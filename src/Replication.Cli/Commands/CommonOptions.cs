using System.Globalization;
using Replication.Compute;
using Replication.Search;

namespace Replication.Cli.Commands;

internal static class CommonOptions
{
    public static OptionSpec Model => new("model", $"model card JSON (models/export_models.py writes them), or a built-in: {string.Join(", ", Features.BuiltinModels.Names)}", "resnet18");
    public static OptionSpec Device => new("device", "cpu or cuda (falls back to cpu with a warning when CUDA is unavailable)", "cpu");
    public static OptionSpec Metric => new("metric", "ip (cosine), split (the official split-product), split-cos (each chunk normalised, our variant) or tiled-l2 (Carlini et al.'s tiled ℓ2, as 1 − distance)", "ip");
    public static OptionSpec MetricOrCard => new("metric", "auto (the model card's similarity), ip, split, split-cos or tiled-l2", "auto");
    public static OptionSpec Threshold => new("threshold", "replica threshold: a number in the metric's range, or auto (the training-calibrated 1% point when ≥ 100 training images, else the paper's 0.5)", "auto");
    public static OptionSpec Whiten => new("whiten", "none, center, whiten (needs more training images than dimensions) or whiten-shrunk (Ledoit–Wolf): fitted on the training embeddings, applied to both sides", "none");

    public static OptionSpec Alpha => new("alpha", "composite (transparent pixels onto --background, as people see them) or drop (the colour stored under them, as PIL's convert(\"RGB\") and the official pipelines)", "composite");
    public static OptionSpec Background => new("background", "background for --alpha composite: white, black or #rrggbb", "white");

    public static Imaging.AlphaHandling ParseAlpha(CommandArgs a)
    {
        try { return Imaging.AlphaHandling.Parse(a.Require("alpha"), a.Require("background")); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>null for "auto".</summary>
    public static double? ParseThreshold(CommandArgs a)
    {
        string text = a.Require("threshold").Trim();
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) || !double.IsFinite(t))
            throw new UsageException($"--threshold: '{text}' is neither a number nor auto");
        return t;
    }

    public static Features.WhiteningMode ParseWhitening(CommandArgs a)
    {
        try { return Features.Whitening.Parse(a.Require("whiten")); }
        catch (ArgumentException e) { throw new UsageException("--whiten: " + e.Message); }
    }
    public static OptionSpec Chunks => new("chunks", "chunks for --metric split (for token outputs: the token count) or tiles for tiled-l2", "4");
    public static OptionSpec FollowSymlinks => new("follow-symlinks", "follow symbolic links that lead out of an input folder (by default they are listed in skipped.csv, not followed)", IsFlag: true);

    /// <summary>--batch, bounded by <see cref="Features.EmbeddingPipeline.MaxBatchBytes"/> for the model's input size.</summary>
    public static int ParseBatch(CommandArgs a, Features.FeatureExtractor extractor) =>
        a.Int("batch", 1, Features.EmbeddingPipeline.MaxBatch(extractor.Preprocessor.TensorLength), $"a batch of {extractor.Card.Input.Size}² inputs is held twice; at most {Features.EmbeddingPipeline.MaxBatchBytes >> 30} GiB");

    /// <summary>--chunk, bounded by <see cref="Features.EmbeddingJob.MaxChunkImages"/>.</summary>
    public static int ParseChunk(CommandArgs a) =>
        a.Int("chunk", 1, Features.EmbeddingJob.MaxChunkImages, "a chunk's embeddings are held in memory until written");

    public static OptionSpec Batch => new("batch", "images per model call", "16");

    public static OptionSpec SearchMemory => new("search-memory", "memory budget of the search, bytes or with a unit (512MiB, 4GiB); blocks are sized by it", "4GiB");

    /// <summary>Parses --search-memory: a byte count or a number with KiB/MiB/GiB (also KB/MB/GB, read as binary units).</summary>
    public static long ParseMemory(CommandArgs a)
    {
        string text = a.Require("search-memory").Trim();
        long unit = 1;
        foreach (var (suffix, value) in new[] { ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("B", 1L) })
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) { unit = value; text = text[..^suffix.Length].Trim(); break; }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number) || number <= 0)
            throw new UsageException($"--search-memory: '{a.Require("search-memory")}' is not a size (e.g. 4GiB)");
        double bytes = number * unit;
        if (bytes < Search.SearchMemory.MinimumBudgetBytes || bytes > long.MaxValue / 2)
            throw new UsageException($"--search-memory: {a.Require("search-memory")} is outside {Search.SearchMemory.MinimumBudgetBytes >> 20}MiB..{long.MaxValue / 2 >> 30}GiB");
        return (long)bytes;
    }

    public static ComputeDevice ParseDevice(CommandArgs a)
    {
        try { return ComputeDeviceParser.Parse(a.Require("device")); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>null for "auto": the scan then takes the model card's similarity.</summary>
    public static Similarity? ParseSimilarityOrAuto(CommandArgs a) => a.Require("metric") == "auto" ? null : ParseSimilarity(a);

    public static Similarity ParseSimilarity(CommandArgs a)
    {
        try { return Similarity.Parse(a.Require("metric"), a.Int("chunks")); }
        catch (ArgumentException e) { throw new UsageException("--metric: " + e.Message); }
    }
}
