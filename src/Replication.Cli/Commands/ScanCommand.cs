using System.CommandLine;
using System.Globalization;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Reporting.Metrics;
using Replication.Analyses.Scanning;

namespace Replication.Cli.Commands;

public sealed class ScanCommand : Command
{
    private readonly Option<string> _generated = OptionKinds.Text("--generated", "folder or manifest CSV of generated images", required: true);
    private readonly Option<string> _training = OptionKinds.Text("--training", "folder or manifest CSV of training images", required: true);
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder", required: true);
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<string> _metric = CommonOptions.MetricOrCard();
    private readonly Option<int> _chunks = CommonOptions.Chunks();
    private readonly Option<int> _batch = CommonOptions.Batch();
    private readonly Option<bool> _followSymlinks = CommonOptions.FollowSymlinks();
    private readonly Option<bool> _strict = OptionKinds.Flag("--strict", "refuse embeddings with NaN or infinite values (by default those images are left out of the search and named)");
    private readonly Option<int> _k = OptionKinds.Int("--k", "training matches kept per generation", 5);
    private readonly Option<Setting<ThresholdPolicy>> _threshold = CommonOptions.Threshold();
    private readonly Option<Setting<WhiteningMode>> _whiten = CommonOptions.Whiten();
    private readonly Option<Setting<long>> _searchMemory = CommonOptions.SearchMemory();
    private readonly Option<string> _alpha = CommonOptions.Alpha();
    private readonly Option<string> _background = CommonOptions.Background();
    private readonly Option<bool> _acceptTruncated = CommonOptions.AcceptTruncated();
    private readonly Option<int> _galleryRows = OptionKinds.Int("--gallery-rows", "generations shown in the report's gallery (the same name as figures 00-quickstart's)", 20, min: 0);

    public ScanCommand() : base("scan", "compare generated images with training images and write report.html, summary.json, matches.csv")
    {
        foreach (var o in new Option[] { _generated, _training, _out, _model, _device, _metric, _chunks, _batch, _followSymlinks, _strict, _k,
                     _threshold, _whiten, _searchMemory, _alpha, _background, _acceptTruncated, _galleryRows })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string model = p.GetValue(_model)!;
        var options = new ScanOptions
        {
            Generated = CommonOptions.Existing(p.GetValue(_generated)!, "--generated"),
            Training = CommonOptions.Existing(p.GetValue(_training)!, "--training"),
            OutputFolder = p.GetValue(_out)!,
            Model = model, Device = p.GetValue(_device).Value, Similarity = CommonOptions.SimilarityOrAuto(p.GetValue(_metric)!, p.GetValue(_chunks)),
            TopK = p.GetValue(_k), Threshold = p.GetValue(_threshold).Value, GalleryRows = p.GetValue(_galleryRows), BatchSize = p.GetValue(_batch),
            Whitening = p.GetValue(_whiten).Value, SearchMemoryBytes = p.GetValue(_searchMemory).Value,
            Alpha = CommonOptions.ParseAlpha(p.GetValue(_alpha)!, p.GetValue(_background)!),
            CommandLine = Environment.CommandLine,
            FollowSymlinks = p.GetValue(_followSymlinks), Strict = p.GetValue(_strict), AcceptTruncated = p.GetValue(_acceptTruncated),
        };
        // every option against the model card (batch size, chunks, threshold range, whitening) before a folder is listed
        var card = CommonOptions.CardOf(model);
        CommonOptions.CheckBatch(options.BatchSize, card);
        ReplicationScan.Validate(options, card, trainingImages: null);
        var result = ConsoleProgress.Run(progress => ReplicationScan.Run(options, progress));
        PrintSummary(result);
        return ExitCodes.Success;
    }

    internal static void PrintSummary(ScanResult r)
    {
        string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
        foreach (var w in r.InputWarnings) Console.WriteLine($"warning: {w}");
        if (r.ImageWarnings.Count > 0)
            Console.WriteLine($"warning: {r.ImageWarnings.Count} near-constant image(s), e.g. {r.ImageWarnings[0].Path} (listed in the report and in {Path.Combine(r.Options.OutputFolder, "generated", "warnings.csv")} and {Path.Combine(r.Options.OutputFolder, "training", "warnings.csv")})");
        Console.WriteLine(r.Verdict());
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
