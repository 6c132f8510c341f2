using System.Globalization;
using System.Text.Json;
using Replication.Retrieval;
using Replication.Storage;

namespace Replication.Cli.Commands;

public sealed class EvaluateCommand : ICommand
{
    public string Name => "evaluate";
    public string Summary => "retrieval metrics (mAP, µAP, MRR, P@k, R@k) of a search CSV against gt.json";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("matches", "search output CSV (query,rank,gallery,score)", Required: true),
        new("ground-truth", "gt.json: [{\"query\": i, \"ok\": [...], \"junk\": [...]}, ...]", Required: true),
        new("k", "cut-offs for precision and recall, comma-separated", "1,5,10"),
        new("out", "also write the metrics as JSON here"),
    ];

    public int Run(CommandArgs a)
    {
        var ks = a.Require("k").Split(',').Select(s => int.TryParse(s, out int k) && k > 0 ? k : throw new UsageException($"--k: '{s}' is not a positive whole number")).ToList();
        var scores = RetrievalMetrics.Evaluate(MatchesFile.Read(a.Require("matches")), GroundTruthFile.Read(a.Require("ground-truth")), ks);
        string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0000", CultureInfo.InvariantCulture);
        Console.WriteLine($"queries {scores.Queries} ({scores.QueriesWithPositives} with positives)");
        Console.WriteLine($"mAP {F(scores.MeanAveragePrecision)}  µAP {F(scores.MicroAveragePrecision)}  MRR {F(scores.MeanReciprocalRank)}");
        Console.WriteLine(string.Join("  ", ks.Select(k => $"P@{k} {F(scores.PrecisionAt[k])}")) + "  " + string.Join("  ", ks.Select(k => $"R@{k} {F(scores.RecallAt[k])}")));
        if (a.Get("out") is { } outPath)
            AtomicFile.WriteAllText(outPath, JsonSerializer.Serialize(new
            {
                queries = scores.Queries,
                queries_with_positives = scores.QueriesWithPositives,
                map = scores.MeanAveragePrecision,
                micro_ap = scores.MicroAveragePrecision,
                mrr = scores.MeanReciprocalRank,
                precision_at = scores.PrecisionAt.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
                recall_at = scores.RecallAt.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
            }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return 0;
    }
}
