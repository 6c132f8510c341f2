using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using Replication.Reporting.Charting;
using Replication.Reporting.Metrics;
using Replication.Reporting;

namespace Replication.Analyses.PerClass;

/// <summary>The scatter, histograms, table, extreme-class gallery and the reading of a <see cref="ClassStudyResult"/>
/// (notebook 03 and its CLI twin draw these).</summary>
public static class ClassCharts
{
    public const string MaxGenerated = "max top-1, generations → training (same class)";
    public const string MeanSelf = "mean top-1, training → training (same class, self excluded)";

    /// <summary>Figure 6 left, one point per class, with the least-squares line. The paper's text and caption disagree on the
    /// axes, so both orders are drawn: <paramref name="swapped"/> puts the training self-similarity on x.</summary>
    public static ChartSpec ScatterSpec(ClassStudyResult r, bool swapped = false)
    {
        var x = r.Rows.Select(c => c.MaxGeneratedTop1).ToArray();
        var y = r.Rows.Select(c => c.MeanTrainingSelfTop1).ToArray();
        var names = r.Rows.Select(c => c.Name).ToArray();
        var spec = swapped
            ? ChartSpecs.Scatter(Title(r), MeanSelf, MaxGenerated, y, x, names, fitLine: true)
            : ChartSpecs.Scatter(Title(r), MaxGenerated, MeanSelf, x, y, names, fitLine: true);
        return spec;
    }

    private static string Title(ClassStudyResult r) => FormattableString.Invariant(
        $"Per class ({r.Rows.Count} classes, {r.ModelName}): Pearson r = {r.Correlation.R:0.###} (95% bootstrap {r.Correlation.Low:0.##}–{r.Correlation.High:0.##})");

    /// <summary>Figure 6 right: pooled generation → training (within class) and training → training (within class) top-1.</summary>
    public static ChartSpec HistogramSpec(ClassStudyResult r)
    {
        var (gen, train) = Histograms(r);
        return ChartSpecs.OverlaidHistograms($"Top-1 similarity within classes ({r.ModelName}, {r.Similarity})",
            [("generations → training of their class", gen), ("training → other training images of the class", train)],
            threshold: r.Threshold.Estimable ? r.Threshold.Threshold : null);
    }

    public static string HistogramSvg(ClassStudyResult r)
    {
        var (gen, train) = Histograms(r);
        return SvgHistogramChart.Render([new("generations → training of their class", gen, ChartSpecs.Palette[0]),
            new("training → other training images of the class", train, ChartSpecs.Palette[1])], "similarity", "density",
            marker: r.Threshold.Estimable ? r.Threshold.Threshold : null);
    }

    private static (Histogram, Histogram) Histograms(ClassStudyResult r)
    {
        var edges = HistogramBins.For(r.Similarity, r.PooledGenerated, r.PooledTraining);
        return (ReplicationStatistics.DensityHistogram(r.PooledGenerated, edges), ReplicationStatistics.DensityHistogram(r.PooledTraining, edges));
    }

    public static DataFrame Table(ClassStudyResult r) => new(
        new StringDataFrameColumn("class", r.Rows.Select(c => c.Name)),
        new Int32DataFrameColumn("generations", r.Rows.Select(c => c.Generated)),
        new Int32DataFrameColumn("training images", r.Rows.Select(c => c.Training)),
        new DoubleDataFrameColumn("max generated top-1", r.Rows.Select(c => c.MaxGeneratedTop1)),
        new DoubleDataFrameColumn("mean generated top-1", r.Rows.Select(c => c.MeanGeneratedTop1)),
        new DoubleDataFrameColumn("mean training self top-1", r.Rows.Select(c => c.MeanTrainingSelfTop1)),
        new DoubleDataFrameColumn("own-class rate", r.Rows.Select(c => c.OwnClassRate)),
        new DoubleDataFrameColumn("r without this class", r.LeaveOneOut));

    /// <summary>The <paramref name="n"/> classes at each end of the max generated top-1, each with its closest pair.</summary>
    public static string ExtremesHtml(ClassStudyResult r, int n = 3)
    {
        var ordered = r.Rows.OrderByDescending(c => c.MaxGeneratedTop1).ToList();
        var sb = new StringBuilder("<div class=\"rs-extremes\" style=\"display:flex;flex-wrap:wrap;gap:16px\">");
        foreach (var (title, rows) in new[] { ("highest", ordered.Take(n)), ("lowest", ordered.AsEnumerable().Reverse().Take(n)) })
            foreach (var c in rows)
            {
                sb.Append("<figure style=\"margin:0;text-align:center;font:12px sans-serif\">");
                foreach (var img in new[] { c.BestGeneration, c.BestMatch })
                    sb.Append($"<img style=\"width:96px;height:96px;object-fit:contain;border:1px solid #ccc;margin:2px\" src=\"{Thumbnails.DataUri(img.Path, 96)}\" title=\"{WebUtility.HtmlEncode(img.Id)}\">");
                sb.Append(CultureInfo.InvariantCulture, $"<figcaption>{title}: <b>{WebUtility.HtmlEncode(c.Name)}</b> {c.MaxGeneratedTop1:0.###}<br>generation · closest training image</figcaption></figure>");
            }
        return sb.Append("</div>").ToString();
    }

    /// <summary>The result in words, computed from the numbers: the verdict first (<see cref="ClassStudyResult.Verdict"/>), then the numbers it rests on.</summary>
    public static string Reading(ClassStudyResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var (reproduced, reasons) = r.Verdict();
        var lines = new List<string>
        {
            reproduced
                ? "Reproduced: classes whose training images resemble each other more have generations closer to their training images (the paper's Section 6)."
                : $"Not reproduced: {string.Join("; ", reasons)}.",
            string.Create(inv, $"{r.Rows.Count} classes scored with {r.ModelName} ({r.Similarity}); Pearson r between a class's max generation top-1 and its training images' mean self top-1: {r.Correlation.R:0.###} (bootstrap 95% interval {r.Correlation.Low:0.###} to {r.Correlation.High:0.###}; permutation p = {r.PermutationP:0.####}; the paper reports 0.6)."),
        };
        if (r.LeaveOneOut.Count > 0 && r.LeaveOneOut.Any(double.IsFinite))
        {
            var finite = r.LeaveOneOut.Select((v, i) => (v, i)).Where(t => double.IsFinite(t.v)).ToList();
            var lo = finite.MinBy(t => t.v);
            var hi = finite.MaxBy(t => t.v);
            lines.Add(string.Create(inv, $"Leaving one class out, r ranges from {lo.v:0.###} (without {r.Rows[lo.i].Name}) to {hi.v:0.###} (without {r.Rows[hi.i].Name})."));
        }
        if (r.SelfOnMax is { } f) lines.Add(string.Create(inv, $"Least squares, self on max: slope {f.Slope:0.###}, intercept {f.Intercept:0.###}; the other order: slope {r.MaxOnSelf?.Slope:0.###} (the paper reports a slope of 0.39)."));
        lines.Add(string.Create(inv, $"Own-class rate (a generation's nearest training image over all scored classes is of the class the sampler was given): {r.OwnClass.Describe()}; chance {r.OwnClassChance:0.###}; a model follows its labels here at ≥ {ClassStudyResult.FollowsLabelsAt}."));
        lines.Add(string.Create(inv, $"Highest max top-1: {r.Rows.Max(c => c.MaxGeneratedTop1):0.###}; the paper's scores never exceed 0.65."));
        lines.Add(r.Threshold.Estimable
            ? string.Create(inv, $"Pooled calibrated threshold (1% of within-class training self-similarities above it): {r.Threshold.Threshold:0.###}; generations above it: {r.Threshold.FractionAbove:0.###}.")
            : $"A pooled calibrated threshold is not estimable (needs ≥ {r.Threshold.MinimumTraining} training self-similarities, has {r.Threshold.TrainingCount}).");
        if (r.Excluded.Count > 0)
            lines.Add($"Not scored: {string.Join("; ", r.Excluded.Select(e => $"{e.Class} ({e.Reason})"))}.");
        if (r.Rows.Count < 20) lines.Add("With this few classes r and its interval have little power.");
        return string.Join("\n", lines);
    }
}
