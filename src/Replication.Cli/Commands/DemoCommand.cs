using System.Globalization;
using Replication.Demo;
using Replication.Scanning;

namespace Replication.Cli.Commands;

public sealed class DemoCommand : ICommand
{
    public string Name => "demo";
    public string Summary => "offline demo: plant replicas among novel images, scan with the built-in model, score detection";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("sources", "folder with clipart/ and photos/ (the repository's data/demo-sources)", null),
        new("out", "output folder", "out/demo"),
        new("replicas-per-kind", "planted replicas of each kind (copy, crop, flip, jitter, jpeg, paste)", "3"),
        new("max-sources", "use at most this many clip-art sources (small runs for tests)", "1000"),
        CommonOptions.Threshold, CommonOptions.Whiten, CommonOptions.Alpha, CommonOptions.Background,
        CommonOptions.Model, CommonOptions.Device, CommonOptions.MetricOrCard, CommonOptions.Chunks, CommonOptions.Batch,
        new("seed", "random seed of the planted replicas", "7"),
    ];

    public int Run(CommandArgs a)
    {
        string sources = a.Get("sources") ?? RepositoryPaths.DemoSources()
            ?? throw new UsageException("cannot find data/demo-sources from here; pass --sources");
        string outDir = a.Require("out");
        var set = DemoSetBuilder.Build(sources, Path.Combine(outDir, "demo-data"), a.Int("replicas-per-kind"), seed: a.Int("seed"), maxSources: a.Int("max-sources"));
        Console.WriteLine($"demo data: {Directory.GetFiles(set.TrainingFolder).Length} training images, {set.Truth.Count} generated ({set.Truth.Count(t => t.IsReplica)} planted replicas)");
        var options = new ScanOptions
        {
            Generated = set.GeneratedFolder, Training = set.TrainingFolder, OutputFolder = outDir,
            Model = a.Require("model"), Device = CommonOptions.ParseDevice(a), Similarity = CommonOptions.ParseSimilarityOrAuto(a),
            Threshold = CommonOptions.ParseThreshold(a), BatchSize = a.Int("batch"), Whitening = CommonOptions.ParseWhitening(a), Alpha = CommonOptions.ParseAlpha(a),
            Annotations = set.Annotations, CommandLine = Environment.CommandLine,
        };
        var result = ConsoleProgress.Run(p => ReplicationScan.Run(options, p));
        var truth = set.Truth.ToDictionary(t => t.Generated);
        var isReplica = result.Generated.Images.Select(i => truth[Path.GetFileName(i.Path)].IsReplica).ToList();
        var top = result.Matches.TopScores();
        string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
        ScanCommand.PrintSummary(result);
        var thresholds = new List<(string Name, double Value)> { ("the paper's 0.5", 0.5) };
        thresholds.AddRange(result.Calibrated.Where(c => c.Estimable).Select(c => ($"calibrated {c.Label}", c.Threshold)));
        foreach (var (name, value) in thresholds)
        {
            var score = DetectionScore.Compute(isReplica, top, value);
            Console.WriteLine($"replica detection at {name} ({F(value)}): precision {F(score.Precision)}, recall {F(score.Recall)} " +
                              $"(TP {score.TruePositives}, FP {score.FalsePositives}, FN {score.FalseNegatives}, TN {score.TrueNegatives})");
        }
        foreach (var c in result.Calibrated.Where(c => !c.Estimable))
            Console.WriteLine($"calibrated {c.Label}: not estimable with {c.TrainingCount} training images (needs ≥ {c.MinimumTraining})");
        double applied = result.Threshold.Value;
        var best = Enumerable.Range(0, 100).Select(i => DetectionScore.Compute(isReplica, top, i / 100.0))
            .OrderByDescending(s => F1(s)).First();
        Console.WriteLine($"best threshold on this demo (for comparison, chosen with the ground truth): {F(best.Threshold)} → precision {F(best.Precision)}, recall {F(best.Recall)}");
        foreach (var kind in DemoSetBuilder.ReplicaKinds)
        {
            var rows = Enumerable.Range(0, isReplica.Count).Where(i => truth[Path.GetFileName(result.Generated.Images[i].Path)].Kind == kind).ToList();
            if (rows.Count > 0)
                Console.WriteLine($"  {kind,-7} mean top-1 {F(rows.Average(i => top[i]))}, found {rows.Count(i => top[i] > applied)}/{rows.Count} above {F(applied)}");
        }
        return 0;
    }

    private static double F1(DetectionScore s) => s.TruePositives == 0 ? 0 : 2 * s.Precision * s.Recall / (s.Precision + s.Recall);
}
