using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using Replication.Reporting.Charting;

namespace Replication.Analyses.CaseStudy;

/// <summary>The duplication study's picture, table and reading (notebook 04's lead): per duplication level and extractor, the
/// fraction of the level's images replicated at least once, with its Wilson interval.</summary>
public static class DuplicationCharts
{
    private static string Fmt(double v) => double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    private static string Name(DuplicationStudyResult r) => r.Study.Model;

    /// <summary>The fraction of each level's images replicated against log₂ of the copies, one line per extractor, with the
    /// interval's ends as dotted lines.</summary>
    public static ChartSpec RatesSpec(IReadOnlyList<DuplicationStudyResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var series = new List<ChartSeries>();
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var x = r.Levels.Select(l => Math.Log2(l.Copies)).ToArray();
            var labels = r.Levels.Select(l => $"{l.Copies}×").ToArray();
            string color = ChartSpecs.Palette[i % ChartSpecs.Palette.Length];
            series.Add(new ChartSeries($"{Name(r)} (threshold {Fmt(r.Threshold.Value)})", x, r.Levels.Select(l => l.ImagesReplicated.Fraction).ToArray(),
                SeriesStyle.Line, color, Labels: labels));
            series.Add(new ChartSeries($"{Name(r)}: 95% interval, low", x, r.Levels.Select(l => l.ImagesReplicated.Low).ToArray(), SeriesStyle.Markers, color, 0.5, labels));
            series.Add(new ChartSeries($"{Name(r)}: 95% interval, high", x, r.Levels.Select(l => l.ImagesReplicated.High).ToArray(), SeriesStyle.Markers, color, 0.5, labels));
        }
        return new ChartSpec
        {
            Title = "Training images replicated at least once, by how often they appear in the training set",
            XLabel = "copies in the training set (log2)", YLabel = "fraction of the level's images replicated",
            Series = series,
        };
    }

    public static DataFrame Table(IReadOnlyList<DuplicationStudyResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = results.SelectMany(r => r.Levels.Select(l => (r, l))).ToList();
        return new DataFrame(
            new StringDataFrameColumn("extractor", rows.Select(x => $"{Name(x.r)} ({x.r.Study.Similarity})")),
            new DoubleDataFrameColumn("threshold", rows.Select(x => x.r.Threshold.Value)),
            new Int32DataFrameColumn("copies", rows.Select(x => x.l.Copies)),
            new Int32DataFrameColumn("images", rows.Select(x => x.l.Images)),
            new Int64DataFrameColumn("training rows", rows.Select(x => x.l.TrainingRows)),
            new Int32DataFrameColumn("images replicated", rows.Select(x => x.l.ImagesReplicated.Count)),
            new DoubleDataFrameColumn("fraction replicated", rows.Select(x => x.l.ImagesReplicated.Fraction)),
            new DoubleDataFrameColumn("95% low", rows.Select(x => x.l.ImagesReplicated.Low)),
            new DoubleDataFrameColumn("95% high", rows.Select(x => x.l.ImagesReplicated.High)),
            new Int32DataFrameColumn("generations replicating", rows.Select(x => x.l.Generations.Count)),
            new DoubleDataFrameColumn("generations: fraction", rows.Select(x => x.l.Generations.Fraction)),
            new DoubleDataFrameColumn("share of training rows", rows.Select(x => x.l.RowShare)));
    }

    /// <summary>The reading in words, per extractor: the rates by level and whether replication rises with duplication (the most
    /// duplicated level's interval above the once-seen level's), with the threshold and why.</summary>
    public static string ReadingHtml(IReadOnlyList<DuplicationStudyResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var html = new StringBuilder("<div class=\"rs-reading\">");
        foreach (var r in results)
        {
            int scored = r.Study.Sampled.Count(g => g.Scored);
            string rates = string.Join(", ", r.Levels.Select(l => $"{l.Copies}×: {l.ImagesReplicated.Count} of {l.Images} ({Fmt(l.ImagesReplicated.Fraction)} [{Fmt(l.ImagesReplicated.Low)}–{Fmt(l.ImagesReplicated.High)}])"));
            string verdict = r.RisesWithDuplication
                ? "Replication rises with duplication, as the paper's Figure 11 finds for Stable Diffusion: the most duplicated level's interval lies above the once-seen level's."
                : "Replication does not clearly rise with duplication here: the most duplicated level's interval does not lie above the once-seen level's.";
            html.Append("<p>").Append(WebUtility.HtmlEncode(
                $"{Name(r)}: {scored} generations against {r.Study.StoreRows:N0} training rows; images replicated at least once by level: {rates}. {verdict} " +
                $"Threshold {Fmt(r.Threshold.Value)}: {r.Threshold.Reason}.")).Append("</p>");
        }
        return html.Append("</div>").ToString();
    }
}
