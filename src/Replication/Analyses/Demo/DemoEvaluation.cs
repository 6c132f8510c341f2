using System.Globalization;
using System.Net;
using System.Text;
using Replication.Analyses.Scanning;

namespace Replication.Analyses.Demo;

/// <summary>
/// How well a scan of the demo set finds its planted replicas (the ground truth is known): precision and recall at the paper's
/// 0.5, at each estimable calibrated threshold and at the threshold the scan applied; the best threshold in hindsight (by F1,
/// on a 0.01 grid, for comparison only); per replica kind, the mean top-1 and how many were found above the applied threshold.
/// </summary>
public sealed record DemoEvaluation(IReadOnlyList<(string Name, DetectionScore Score)> AtThresholds, DetectionScore Best,
    IReadOnlyList<(string Kind, double MeanTop1, int Found, int Total)> PerKind, double Applied)
{
    public static DemoEvaluation Evaluate(ScanResult result, DemoSet set)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(set);
        var truth = set.Truth.ToDictionary(t => t.Generated);
        var isReplica = result.Generated.Images.Select(i => truth[Path.GetFileName(i.Path)].IsReplica).ToList();
        var top = result.Matches.TopScores();
        var thresholds = new List<(string Name, double Value)> { ("the paper's 0.5", 0.5) };
        thresholds.AddRange(result.Calibrated.Where(c => c.Estimable).Select(c => ($"calibrated {c.Label}", c.Threshold)));
        if (double.IsFinite(result.Threshold.Value) && thresholds.All(t => t.Value != result.Threshold.Value))
            thresholds.Add(($"the scan's threshold ({result.Threshold.Source})", result.Threshold.Value));
        var scores = thresholds.Select(t => (t.Name, DetectionScore.Compute(isReplica, top, t.Value))).ToList();
        var best = Enumerable.Range(0, 100).Select(i => DetectionScore.Compute(isReplica, top, i / 100.0)).OrderByDescending(F1).First();
        double applied = result.Threshold.Value;
        var perKind = DemoSetBuilder.ReplicaKinds
            .Select(kind => (kind, rows: Enumerable.Range(0, isReplica.Count).Where(i => truth[Path.GetFileName(result.Generated.Images[i].Path)].Kind == kind).ToList()))
            .Where(k => k.rows.Count > 0)
            .Select(k => (k.kind, k.rows.Average(i => (double)top[i]), k.rows.Count(i => top[i] > applied), k.rows.Count))
            .ToList();
        return new DemoEvaluation(scores, best, perKind, applied);
    }

    private static double F1(DetectionScore s) => s.TruePositives == 0 ? 0 : 2 * s.Precision * s.Recall / (s.Precision + s.Recall);

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The evaluation as console lines.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = AtThresholds.Select(t => $"replica detection at {t.Name} ({F(t.Score.Threshold)}): precision {F(t.Score.Precision)}, recall {F(t.Score.Recall)} " +
                                             $"(TP {t.Score.TruePositives}, FP {t.Score.FalsePositives}, FN {t.Score.FalseNegatives}, TN {t.Score.TrueNegatives})").ToList();
        lines.Add($"best threshold on this demo (for comparison, chosen with the ground truth): {F(Best.Threshold)} → precision {F(Best.Precision)}, recall {F(Best.Recall)}");
        lines.AddRange(PerKind.Select(k => $"  {k.Kind,-7} mean top-1 {F(k.MeanTop1)}, found {k.Found}/{k.Total} above {F(Applied)}"));
        return lines;
    }

    /// <summary>The evaluation as a report section.</summary>
    public string Html()
    {
        var sb = new StringBuilder("<h2>Demo: how well the planted replicas are found</h2><table class=\"rs-demo\" style=\"border-collapse:collapse\"><style>table.rs-demo td,table.rs-demo th{border:1px solid #ccc;padding:3px 8px;text-align:right}table.rs-demo td:first-child{text-align:left}</style><tr><th>threshold</th><th>value</th><th>precision</th><th>recall</th><th>TP</th><th>FP</th><th>FN</th><th>TN</th></tr>");
        foreach (var (name, s) in AtThresholds.Append(("best in hindsight (ground truth; for comparison only)", Best)))
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(name)}</td><td>{F(s.Threshold)}</td><td>{F(s.Precision)}</td><td>{F(s.Recall)}</td><td>{s.TruePositives}</td><td>{s.FalsePositives}</td><td>{s.FalseNegatives}</td><td>{s.TrueNegatives}</td></tr>");
        sb.Append("</table><p>Per kind of planted replica, above the applied threshold ").Append(F(Applied)).Append(":</p><ul>");
        foreach (var k in PerKind) sb.Append(CultureInfo.InvariantCulture, $"<li>{WebUtility.HtmlEncode(k.Kind)}: {k.Found} of {k.Total} found (mean top-1 {F(k.MeanTop1)})</li>");
        return sb.Append("</ul>").ToString();
    }
}
