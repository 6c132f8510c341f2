using Replication.Reporting.Metrics;
using System.CommandLine;
using System.Globalization;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Analyses.Demo;
using Replication.Core;
using Replication.Analyses.Scanning;

namespace Replication.Cli.Commands;

public sealed class DemoCommand : Command
{
    private readonly Option<string> _sources = OptionKinds.Text("--sources", "folder with clipart/ and photos/ (the repository's data/demo-sources; found from here by default)");
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder", "out/demo");
    private readonly Option<int> _replicasPerKind = OptionKinds.Int("--replicas-per-kind", "planted replicas of each kind (copy, crop, flip, jitter, jpeg, paste)", 3);
    private readonly Option<int> _maxSources = OptionKinds.Int("--max-sources", "use at most this many clip-art sources (small runs for tests)", 1000);
    private readonly Option<Setting<ThresholdPolicy>> _threshold = CommonOptions.Threshold();
    private readonly Option<Setting<WhiteningMode>> _whiten = CommonOptions.Whiten();
    private readonly Option<string> _alpha = CommonOptions.Alpha();
    private readonly Option<string> _background = CommonOptions.Background();
    private readonly Option<bool> _acceptTruncated = CommonOptions.AcceptTruncated();
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<string> _metric = CommonOptions.MetricOrCard();
    private readonly Option<int> _chunks = CommonOptions.Chunks();
    private readonly Option<int> _batch = CommonOptions.Batch();
    private readonly Option<int> _seed = OptionKinds.Int("--seed", "random seed of the planted replicas", 7, min: 0, max: int.MaxValue);

    public DemoCommand() : base("demo", "offline demo: plant replicas among novel images, scan with the built-in model, score detection")
    {
        foreach (var o in new Option[] { _sources, _out, _replicasPerKind, _maxSources, _threshold, _whiten, _alpha, _background, _acceptTruncated, _model, _device, _metric, _chunks, _batch, _seed })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string sources = p.GetValue(_sources) is { } given ? CommonOptions.Existing(given, "--sources", "folder")
            : RepositoryPaths.DemoSources() ?? throw new UsageException("cannot find data/demo-sources from here; pass --sources", "--sources");
        string outDir = p.GetValue(_out)!;
        string model = p.GetValue(_model)!;
        var scanOptions = new ScanOptions
        {
            Generated = Path.Combine(outDir, "demo-data", "generated"), Training = Path.Combine(outDir, "demo-data", "training"), OutputFolder = outDir,
            Model = model, Device = p.GetValue(_device).Value, Similarity = CommonOptions.SimilarityOrAuto(p.GetValue(_metric)!, p.GetValue(_chunks)),
            Threshold = p.GetValue(_threshold).Value, BatchSize = p.GetValue(_batch), Whitening = p.GetValue(_whiten).Value,
            Alpha = CommonOptions.ParseAlpha(p.GetValue(_alpha)!, p.GetValue(_background)!), CommandLine = Environment.CommandLine,
            AcceptTruncated = p.GetValue(_acceptTruncated),
        };
        var card = CommonOptions.CardOf(model);
        CommonOptions.CheckBatch(scanOptions.BatchSize, card);
        ReplicationScan.Validate(scanOptions, card, trainingImages: null);
        var set = DemoSetBuilder.Build(sources, Path.Combine(outDir, "demo-data"), p.GetValue(_replicasPerKind), seed: p.GetValue(_seed), maxSources: p.GetValue(_maxSources));
        Console.WriteLine($"demo data: {Directory.GetFiles(set.TrainingFolder).Length} training images, {set.Truth.Count} generated ({set.Truth.Count(t => t.IsReplica)} planted replicas)");
        var options = scanOptions with { Generated = set.GeneratedFolder, Training = set.TrainingFolder, Annotations = set.Annotations };
        var result = ConsoleProgress.Run(p => ReplicationScan.Run(options, p));
        ScanCommand.PrintSummary(result);
        var evaluation = DemoEvaluation.Evaluate(result, set);
        foreach (var line in evaluation.Lines()) Console.WriteLine(line);
        foreach (var c in result.Calibrated.Where(c => !c.Estimable))
            Console.WriteLine($"calibrated {c.Label}: not estimable with {c.TrainingCount} training images (needs ≥ {c.MinimumTraining})");
        ScanReport.WriteHtml(result, evaluation.Html());
        return ExitCodes.Success;
    }

}
