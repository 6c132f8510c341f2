using Replication.Compute;
using Replication.Search;

namespace Replication.Cli.Commands;

internal static class CommonOptions
{
    public static OptionSpec Model => new("model", "model card JSON, or a built-in model name (resnet18)", "resnet18");
    public static OptionSpec Device => new("device", "cpu or cuda (falls back to cpu with a warning when CUDA is unavailable)", "cpu");
    public static OptionSpec Metric => new("metric", "ip (cosine), split (split-product) or tiled-l2 (Carlini et al.'s tiled ℓ2, as 1 − distance)", "ip");
    public static OptionSpec MetricOrCard => new("metric", "auto (the model card's similarity), ip, split or tiled-l2", "auto");
    public static OptionSpec Chunks => new("chunks", "chunks for --metric split (for token outputs: the token count) or tiles for tiled-l2", "4");
    public static OptionSpec Batch => new("batch", "images per model call", "16");

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
