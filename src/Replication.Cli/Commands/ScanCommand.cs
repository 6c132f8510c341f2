using System.Globalization;
using Replication.Metrics;
using Replication.Scanning;

namespace Replication.Cli.Commands;

public sealed class ScanCommand : ICommand
{
    public string Name => "scan";
    public string Summary => "compare generated images with training images and write report.html, summary.json, matches.csv";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("generated", "folder or manifest CSV of generated images", Required: true),
        new("training", "folder or manifest CSV of training images", Required: true),
        new("out", "output folder", Required: true),
        CommonOptions.Model, CommonOptions.Device, CommonOptions.MetricOrCard, CommonOptions.Chunks, CommonOptions.Batch, CommonOptions.FollowSymlinks,
        new("strict", "refuse embeddings with NaN or infinite values (by default those images are left out of the search and named)", IsFlag: true),
        new("k", "training matches kept per generation", "5"),
        CommonOptions.Threshold, CommonOptions.Whiten, CommonOptions.SearchMemory, CommonOptions.Alpha, CommonOptions.Background,
        new("gallery-rows", "generations shown in the report's gallery (the same name as figures 00-quickstart's)", "20"),
    ];

    public int Run(CommandArgs a)
    {
        if (a.Int("gallery-rows") < 0) throw new UsageException("--gallery-rows must be 0 or more");
        var options = new ScanOptions
        {
            Generated = a.Require("generated"), Training = a.Require("training"), OutputFolder = a.Require("out"),
            Model = a.Require("model"), Device = CommonOptions.ParseDevice(a), Similarity = CommonOptions.ParseSimilarityOrAuto(a),
            TopK = a.Int("k"), Threshold = CommonOptions.ParseThreshold(a), GalleryRows = a.Int("gallery-rows"), BatchSize = a.Int("batch"),
            Whitening = CommonOptions.ParseWhitening(a), SearchMemoryBytes = CommonOptions.ParseMemory(a), Alpha = CommonOptions.ParseAlpha(a),
            CommandLine = Environment.CommandLine,
            FollowSymlinks = a.Flag("follow-symlinks"), Strict = a.Flag("strict"),
        };
        var result = ConsoleProgress.Run(p => ReplicationScan.Run(options, p));
        PrintSummary(result);
        return 0;
    }

    internal static void PrintSummary(ScanResult r)
    {
        string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
        foreach (var w in r.InputWarnings) Console.WriteLine($"warning: {w}");
        if (r.ImageWarnings.Count > 0)
            Console.WriteLine($"warning: {r.ImageWarnings.Count} near-constant image(s), e.g. {r.ImageWarnings[0].Path} (listed in the report and in warnings.csv)");
        Console.WriteLine($"threshold {F(r.Threshold.Value)}: {r.Threshold.Reason}");
        foreach (var (name, s) in new[] { ("generated → training", r.GeneratedSummary), ("training → training", r.TrainingSummary) })
            Console.WriteLine($"{name,-22} n={s.Count} mean={F(s.Mean)} std={F(s.Std)} p95={F(s.P95)} above {F(s.Threshold)}: {F(s.FractionAbove)}");
        foreach (var c in r.Calibrated)
            Console.WriteLine(c.Estimable
                ? $"calibrated ({c.Label} of training above): threshold {F(c.Threshold)} [{F(c.ThresholdLow)}, {F(c.ThresholdHigh)}], generations above {F(c.FractionAbove)} [{F(c.FractionLow)}, {F(c.FractionHigh)}] (bootstrap 95%)"
                : $"calibrated ({c.Label} of training above): not estimable (needs ≥ {c.MinimumTraining} training images, has {c.TrainingCount})");
        if (!r.ExactCopy.Constant)
            Console.WriteLine($"note: on {r.Similarity} an exact copy scores {F(r.ExactCopy.Min)}–{F(r.ExactCopy.Max)} (median {F(r.ExactCopy.Median)}), not 1; consider --metric split-cos");
        foreach (var (side, ids) in new[] { ("generated", r.NonFiniteGenerated), ("training", r.NonFiniteTraining) })
            if (ids.Count > 0)
                Console.Error.WriteLine($"warning: {ids.Count} {side} image{(ids.Count == 1 ? "" : "s")} embedded as NaN or infinite values, left out of the search: {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", …" : "")}");
        int skipped = r.Generated.Skipped.Count + r.Training.Skipped.Count;
        Console.WriteLine($"skipped images: {skipped}{(skipped > 0 ? $" (see {Path.Combine(r.Options.OutputFolder, ScanReport.Skipped)})" : "")}");
        Console.WriteLine($"report: {Path.GetFullPath(Path.Combine(r.Options.OutputFolder, ScanReport.Html))}");
    }
}
