using System.Globalization;

namespace Replication.Analyses.Benchmark;

/// <summary>Table 1 in words: the paper's finding, then this run's, computed from the table (best average rank; best per dataset;
/// best on the synthetic and on the real datasets when both are present).</summary>
public static class BenchmarkReading
{
    public const string PaperFinding =
        "The paper (Table 1, 10 extractors on 5 real and 5 synthetic datasets): DINO ViT-B/16 with split-product has the best average rank; " +
        "Swin Transformer is best on the real datasets and SSCD on the synthetic copy sets.";

    public static string Of(BenchmarkTable t, IReadOnlySet<string> synthetic)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(synthetic);
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string> { PaperFinding };
        var avg = t.AverageRank().Where(kv => double.IsFinite(kv.Value)).OrderBy(kv => kv.Value).ToList();
        if (avg.Count == 0) return string.Join("\n", lines.Append("This run: no extractor finished any dataset."));
        lines.Add(string.Create(inv, $"This run ({t.Models.Count} extractors, {t.Datasets.Count} datasets): best average rank {avg[0].Key} ({avg[0].Value:0.##})") +
                  (avg.Count > 1 ? string.Create(inv, $", then {string.Join(", ", avg.Skip(1).Select(kv => $"{kv.Key} ({kv.Value:0.##})"))}.") : "."));
        foreach (var (label, sets) in new[] { ("synthetic copy sets", t.Datasets.Where(synthetic.Contains).ToList()), ("real datasets", t.Datasets.Where(d => !synthetic.Contains(d)).ToList()) })
        {
            if (sets.Count == 0) continue;
            var mean = t.Models.Select(m => (m, v: sets.Select(d => t.Cell(m, d).Scores?.MeanAveragePrecision ?? double.NaN).ToList()))
                .Where(x => x.v.All(double.IsFinite)).Select(x => (x.m, mAP: x.v.Average())).OrderByDescending(x => x.mAP).ToList();
            if (mean.Count > 0) lines.Add(string.Create(inv, $"On the {label} ({sets.Count}): highest mean mAP {mean[0].m} ({mean[0].mAP:0.###})."));
        }
        foreach (var d in t.Datasets)
        {
            var best = t.Models.Select(m => (m, mAP: t.Cell(m, d).Scores?.MeanAveragePrecision ?? double.NaN)).Where(x => double.IsFinite(x.mAP)).MaxBy(x => x.mAP);
            if (best.m is not null) lines.Add(string.Create(inv, $"{d}: best {best.m} (mAP {best.mAP:0.###})."));
        }
        if (!t.Models.Any(m => m.Contains("sscd", StringComparison.OrdinalIgnoreCase) || m.Contains("dino", StringComparison.OrdinalIgnoreCase)))
            lines.Add("None of the paper's extractors is in this run (they cannot be downloaded here): the ranking compares the offline extractors only; give SSCD or DINO cards to compare with the paper.");
        return string.Join("\n", lines);
    }
}
