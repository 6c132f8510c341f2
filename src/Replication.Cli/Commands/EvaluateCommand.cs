using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Replication.Search.Retrieval;
using Replication.Core.Files;

namespace Replication.Cli.Commands;

public sealed class EvaluateCommand : Command
{
    private static readonly JsonSerializerOptions ReportJson = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly Option<string> _matches = OptionKinds.Text("--matches", "search output CSV (query,rank,gallery,score); search with --k at least the gallery size for a full ranking", required: true);
    private readonly Option<string> _groundTruth = OptionKinds.Text("--ground-truth", "gt.json: [{\"query\": i, \"ok\": [...], \"junk\": [...]}, ...]", required: true);
    private readonly Option<Setting<IReadOnlyList<int>>> _k = OptionKinds.IntList("--k", "cut-offs for precision and recall, comma-separated", "1,5,10");
    private readonly Option<int> _microApCap = OptionKinds.Int("--micro-ap-cap", "predictions per query pooled into µAP", 100);
    private readonly Option<bool> _requireFullRanking = OptionKinds.Flag("--require-full-ranking", "refuse (exit 1) when some query's positives are missing from the matches instead of reporting lower bounds");
    private readonly Option<string> _out = OptionKinds.Text("--out", "also write the metrics as JSON here");

    public EvaluateCommand() : base("evaluate", "retrieval metrics (mAP, revisitop P@k, R@k, DCR MRR, µAP; textbook P@k and MRR) of a search CSV against gt.json")
    {
        foreach (var o in new Option[] { _matches, _groundTruth, _k, _microApCap, _requireFullRanking, _out })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        var ks = p.GetValue(_k).Value.Distinct().ToList();
        int cap = p.GetValue(_microApCap);
        string matches = CommonOptions.Existing(p.GetValue(_matches)!, "--matches", "file");
        string groundTruth = CommonOptions.Existing(p.GetValue(_groundTruth)!, "--ground-truth", "file");
        var scores = RetrievalMetrics.Evaluate(MatchesFile.Read(matches), GroundTruthFile.Read(groundTruth), ks, cap);
        if (scores.IsLowerBound && p.GetValue(_requireFullRanking))
            throw new InputDataException($"{matches}: {scores.QueriesWithMissingPositives} of {scores.QueriesWithPositives} queries have positives missing from the matches (truncated ranking); search with a larger --k");
        string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0000", CultureInfo.InvariantCulture);
        Console.WriteLine($"queries {scores.Queries} ({scores.QueriesWithPositives} with positives)");
        if (scores.IsLowerBound)
            Console.WriteLine($"LOWER BOUNDS: {scores.QueriesWithMissingPositives} queries have positives below the end of their ranked list; search with --k equal to the gallery size for exact values");
        Console.WriteLine($"mAP {F(scores.MeanAveragePrecision)}  µAP {F(scores.MicroAveragePrecision)} (≤{scores.MicroApCap}/query)  DCR MRR {F(scores.DcrMeanReciprocalRank)}  MRR {F(scores.MeanReciprocalRank)}");
        Console.WriteLine(string.Join("  ", ks.Select(k => $"revisitop P@{k} {F(scores.RevisitopPrecisionAt[k])}")) + "  " + string.Join("  ", ks.Select(k => $"R@{k} {F(scores.RecallAt[k])}")));
        Console.WriteLine(string.Join("  ", ks.Select(k => $"P@{k} {F(scores.PrecisionAt[k])}")) + "  (textbook precision: hits in the first k / k)");
        if (p.GetValue(_out) is { } outPath)
        {
            static string Key(int k) => k.ToString(CultureInfo.InvariantCulture);
            var json = new Dictionary<string, object?>
            {
                ["queries"] = scores.Queries,
                ["queries_with_positives"] = scores.QueriesWithPositives,
                ["full_ranking"] = !scores.IsLowerBound,
                ["queries_with_missing_positives"] = scores.QueriesWithMissingPositives,
                ["map"] = scores.MeanAveragePrecision,
                ["micro_ap"] = scores.MicroAveragePrecision,
                ["micro_ap_cap"] = scores.MicroApCap,
                ["dcr_mrr"] = scores.DcrMeanReciprocalRank,
                ["mrr"] = scores.MeanReciprocalRank,
            };
            foreach (var k in ks)
            {
                json[$"revisitop_p@{Key(k)}"] = scores.RevisitopPrecisionAt[k];
                json[$"recall@{Key(k)}"] = scores.RecallAt[k];
                json[$"precision@{Key(k)}"] = scores.PrecisionAt[k];
            }
            AtomicFile.WriteAllText(outPath, JsonSerializer.Serialize(json, ReportJson));
        }
        return ExitCodes.Success;
    }
}
