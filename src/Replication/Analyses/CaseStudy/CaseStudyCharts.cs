using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using Replication.Reporting.Charting;
using Replication.Reporting.Metrics;
using Replication.Reporting;
using Replication.Embeddings;
using Replication.Embeddings.Store;

namespace Replication.Analyses.CaseStudy;

/// <summary>The pictures and tables of a case study (the paper's Figures 7 and 11), drawn from a persisted <see cref="CaseStudyResult"/>:
/// Plotly specs for notebooks, inline SVG twins for static reports, a gallery, tables and the reading in words.</summary>
public static class CaseStudyCharts
{
    /// <summary>Histogram bins over [0, 1] (50: a study has thousands of generations, not millions; named so, not the official 199).</summary>
    public const int Bins = 50;

    public const string GenerationTop1 = "generations → training (top-1)";
    public const string OwnSource = "generation ↔ its own caption's source";
    public const string SourceTop1 = "source images → rest of training (top-1)";

    private static double[] Edges(CaseStudyResult r, params float[][] series)
    {
        var similarity = Similarity.FromName(r.Similarity);
        if (similarity.ExactCopyScoresOne) return HistogramBins.Linear(similarity.Range.Min < 0 && series.Any(s => s.Any(v => v < 0)) ? -1 : 0, 1, Bins);
        var finite = series.SelectMany(s => s).Where(float.IsFinite).ToArray();
        if (finite.Length == 0) return HistogramBins.Linear(0, 1, Bins);
        double lo = finite.Min(), hi = finite.Max();
        if (hi - lo < 1e-6) { lo -= 5e-7; hi += 5e-7; }
        return HistogramBins.Linear(lo, hi, Bins);
    }

    // Figure 11 is about generations from training captions (Sampled); prompt variants are scored in the key-phrase study
    private static float[] Top1(CaseStudyResult r) => r.Sampled.Select(g => g.Top1).Where(float.IsFinite).ToArray();
    private static float[] Own(CaseStudyResult r) => r.Sampled.Select(g => g.OwnSource).Where(float.IsFinite).ToArray();
    private static float[] Sources(CaseStudyResult r) => r.Sampled.Select(g => g.SourceTop1).Where(float.IsFinite).ToArray();

    /// <summary>Figure 11 left: the density of every generation's top-1 score, with the threshold.</summary>
    public static ChartSpec Top1Spec(CaseStudyResult r)
    {
        var top = Top1(r);
        return ChartSpecs.OverlaidHistograms($"Top-1 similarity of {top.Length} generations against {r.StoreRows:N0} training images ({r.Model}, {r.Similarity})",
            [(GenerationTop1, ReplicationStatistics.DensityHistogram(top, Edges(r, top)))], threshold: r.Threshold);
    }

    public static string Top1Svg(CaseStudyResult r)
    {
        var top = Top1(r);
        return SvgHistogramChart.Render([new(GenerationTop1, ReplicationStatistics.DensityHistogram(top, Edges(r, top)), ChartSpecs.Palette[0])],
            "similarity", "density", marker: r.Threshold);
    }

    private static List<(string Name, Histogram Histogram)> SourceSeries(CaseStudyResult r)
    {
        var (top, own, src) = (Top1(r), Own(r), Sources(r));
        var edges = Edges(r, top, own, src);
        return
        [
            (GenerationTop1, ReplicationStatistics.DensityHistogram(top, edges)),
            (OwnSource, ReplicationStatistics.DensityHistogram(own, edges)),
            (SourceTop1, ReplicationStatistics.DensityHistogram(src, edges)),
        ];
    }

    /// <summary>Figure 11 centre: generations' top-1 against the source images' own top-1 (themselves left out), with each
    /// generation's score against its own caption's source.</summary>
    public static ChartSpec SourceSpec(CaseStudyResult r) =>
        ChartSpecs.OverlaidHistograms("Does a training caption reproduce its own image?", SourceSeries(r), threshold: r.Threshold);

    public static string SourceSvg(CaseStudyResult r) =>
        SvgHistogramChart.Render(SourceSeries(r).Select((s, i) => new SvgHistogramChart.Series(s.Name, s.Histogram, ChartSpecs.Palette[i])).ToList(),
            "similarity", "density", marker: r.Threshold);

    private static List<(string Name, Histogram Histogram)> DuplicateSeries(CaseStudyResult r)
    {
        long max = r.Duplicates.SelectMany(d => d.Counts).DefaultIfEmpty(0).Max();
        int top = (int)Math.Clamp(max + 1, 2, 40);
        var edges = Enumerable.Range(0, top + 1).Select(i => i - 0.5).ToArray();
        return r.Duplicates.Where(d => d.Images > 0).Select(d =>
            ($"{DuplicateSummary.Label(d.Population)} (n = {d.Images}, mean {d.Mean.ToString("0.##", CultureInfo.InvariantCulture)})",
             ReplicationStatistics.DensityHistogram(d.Counts.Select(c => (float)c).ToArray(), edges))).ToList();
    }

    /// <summary>Figure 11 right: how many duplicates (score above the duplicate threshold) the images of each population have.</summary>
    public static ChartSpec DuplicatesSpec(CaseStudyResult r) =>
        ChartSpecs.OverlaidHistograms($"Duplicates in the training set (other images scoring > {r.DuplicateThreshold.ToString(CultureInfo.InvariantCulture)})",
            DuplicateSeries(r), xLabel: "number of duplicates");

    public static string DuplicatesSvg(CaseStudyResult r) =>
        SvgHistogramChart.Render(DuplicateSeries(r).Select((s, i) => new SvgHistogramChart.Series(s.Name, s.Histogram, ChartSpecs.Palette[i])).ToList(),
            "number of duplicates", "fraction of images");

    public static DataFrame DuplicatesTable(CaseStudyResult r) => new(
        new StringDataFrameColumn("population", r.Duplicates.Select(d => DuplicateSummary.Label(d.Population))),
        new Int32DataFrameColumn("images", r.Duplicates.Select(d => d.Images)),
        new DoubleDataFrameColumn("mean duplicates", r.Duplicates.Select(d => d.Mean)),
        new DoubleDataFrameColumn("median duplicates", r.Duplicates.Select(d => d.Median)),
        new Int32DataFrameColumn("counts that are lower bounds", r.Duplicates.Select(d => d.LowerBounds)),
        new StringDataFrameColumn("paper (LAION, SSCD)", r.Duplicates.Select(d => d.Population switch
        {
            DuplicatePopulation.Sources => "11.6",
            DuplicatePopulation.Matches => "3.1",
            _ => "34.1",
        })));

    public static DataFrame VariantTable(IReadOnlyList<VariantRate> rates) => new(
        new StringDataFrameColumn("variant", rates.Select(v => v.Variant.Name)),
        new StringDataFrameColumn("prompt", rates.Select(v => v.Variant.Prompt)),
        new StringDataFrameColumn("removed", rates.Select(v => v.Variant.Removed ?? "")),
        new Int32DataFrameColumn("generations", rates.Select(v => v.Rate.Total)),
        new Int32DataFrameColumn("above threshold", rates.Select(v => v.Rate.Count)),
        new StringDataFrameColumn("replication rate", rates.Select(v => v.HasGenerations ? v.Rate.Describe() : "no generations yet")));

    /// <summary>The official complexity analysis as a table: per measure of the match images, r with the top-1 scores, scipy's p, n.</summary>
    public static DataFrame ComplexityTable(ComplexityResult c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new DataFrame(
            new StringDataFrameColumn("match-image measure", c.Correlations.Select(x => x.Measure)),
            new DoubleDataFrameColumn("Pearson r with top-1", c.Correlations.Select(x => x.R)),
            new DoubleDataFrameColumn("p (two-sided)", c.Correlations.Select(x => x.P)),
            new Int32DataFrameColumn("generations", c.Correlations.Select(x => x.N)));
    }

    /// <summary>The complexity analysis in words.</summary>
    public static string ComplexityReading(ComplexityResult c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var inv = CultureInfo.InvariantCulture;
        if (c.Rows.Count < 3) return $"Too few match images could be measured ({c.Rows.Count}) to correlate their complexity with the scores.";
        var strongest = c.Correlations.Where(x => double.IsFinite(x.R)).MaxBy(x => Math.Abs(x.R));
        string head = strongest is null ? "No measure varies across the match images."
            : string.Create(inv, $"The strongest relation is {strongest.Measure}: r = {strongest.R:0.###} (p = {strongest.P:0.####}, {strongest.N} generations)")
              + (strongest.R < 0 && strongest.P < 0.05 ? "; simpler match images go with higher scores, so part of the high scores may be simplicity rather than copying." : ".");
        return head + (c.Problems.Count > 0 ? $" {c.Problems.Count} match image(s) could not be read." : "");
    }

    /// <summary>Figure 7: the generations above the threshold (at most <paramref name="max"/>, best first), each with its caption's
    /// source image and its top-1 match, the two captions and the scores. Store images are read back from their shards.</summary>
    public static string GalleryHtml(CaseStudyResult r, int max = 20, int size = 128)
    {
        var rows = r.Scored.Where(g => g.Top1 > r.Threshold).OrderByDescending(g => g.Top1).Take(max).ToList();
        var inv = CultureInfo.InvariantCulture;
        if (rows.Count == 0)
            return $"<p class=\"rs-gallery-empty\">No generation scores above {r.Threshold.ToString(inv)}.</p>";
        IReadOnlyDictionary<long, byte[]> images = new Dictionary<long, byte[]>();
        if (Directory.Exists(r.Store))
        {
            using var store = EmbeddingStore.Open(r.Store);
            images = StoreImages.Fetch(store, rows.SelectMany(g => new[] { g.SourceRow, g.MatchRow }));
        }
        string Cell(string? uri, string label) =>
            $"<td style=\"text-align:center;vertical-align:top\">{(uri is null ? $"<div style=\"width:{size}px;height:{size}px;background:#eee;display:flex;align-items:center;justify-content:center\">not available</div>" : $"<img style=\"max-width:{size}px;max-height:{size}px;border:1px solid #ccc\" src=\"{uri}\">")}<br><small>{WebUtility.HtmlEncode(label)}</small></td>";
        string? Store(long row) => row >= 0 && images.TryGetValue(row, out var b) ? Thumbnails.DataUri(b, $"store row {row}", size) : null;
        var sb = new StringBuilder("<table class=\"rs-case-gallery\" style=\"border-collapse:collapse;font:12px sans-serif\">");
        sb.Append("<tr><th>generation</th><th>caption source</th><th>top-1 match</th><th style=\"text-align:left\">captions and scores</th></tr>");
        foreach (var g in rows)
        {
            sb.Append("<tr style=\"border-top:1px solid #ddd\">");
            sb.Append(Cell(Thumbnails.DataUri(g.Path, size), $"#{g.Index + 1}"));
            sb.Append(Cell(Store(g.SourceRow), g.SourceRow >= 0 ? $"row {g.SourceRow}" : g.SourceKey == Replication.Data.Generations.GeneratedImage.NoSource ? "prompt not from the training set" : "source not in the store"));
            sb.Append(Cell(Store(g.MatchRow), $"row {g.MatchRow}"));
            sb.Append("<td style=\"vertical-align:top;text-align:left;max-width:420px;padding-left:8px\">");
            sb.Append(inv, $"<b>top-1 {g.Top1:0.###}</b>{(g.MatchIsSource ? " (its own source)" : "")}; own source {Fmt(g.OwnSource)}<br>");
            sb.Append($"<b>prompt / source caption:</b> {WebUtility.HtmlEncode(g.Prompt)}<br>");
            sb.Append($"<b>match caption:</b> {WebUtility.HtmlEncode(g.MatchCaption ?? "(none)")}<br>");
            sb.Append(inv, $"match duplicated {g.MatchDuplicates}{(g.MatchDuplicatesAtLeast ? "+" : "")} times in the training set</td></tr>");
        }
        return sb.Append("</table>").ToString();
    }

    private static string Fmt(float v) => float.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The result in words, from the numbers, beside the paper's.</summary>
    public static string Reading(CaseStudyResult r, IReadOnlyList<VariantRate>? variants = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var scored = r.Sampled.ToList();
        int variantGenerations = r.Scored.Count(g => !g.FromTrainingCaption);
        var lines = new List<string>
        {
            string.Create(inv, $"{scored.Count} generations from training captions searched against {r.StoreRows:N0} training images ({r.Model}, {r.Similarity}): {r.AboveThreshold.Describe()} score above {r.Threshold} (the paper: 1.88% of 9,000 Stable Diffusion generations above 0.5 with SSCD)."),
        };
        if (variantGenerations > 0)
            lines.Add($"{variantGenerations} generations from prompts not drawn from the training set (key-phrase variants) are left out of these numbers and scored per variant below.");
        var own = Own(r);
        var src = Sources(r);
        if (own.Length > 0)
            lines.Add(string.Create(inv, $"Generation vs its own caption's source: mean {own.Average():0.###}; {r.MatchedOwnSource} of {scored.Count} generations have their own source as top-1 match (the paper: none). Mean top-1 of generations {Top1(r).Where(float.IsFinite).DefaultIfEmpty(float.NaN).Average():0.###} against {src.DefaultIfEmpty(float.NaN).Average():0.###} for the source images themselves (the paper: generations much lower)."));
        var (s, m, a) = (r.DuplicatesOf(DuplicatePopulation.Sources), r.DuplicatesOf(DuplicatePopulation.Matches), r.DuplicatesOf(DuplicatePopulation.MatchesAboveThreshold));
        lines.Add(string.Create(inv, $"Duplicates (other training images above {r.DuplicateThreshold}): source images {s.Mean:0.##} on average, match images {m.Mean:0.##}, matches above {r.Threshold} {(a.Images > 0 ? a.Mean.ToString("0.##", inv) : "n/a (none)")} (the paper: 11.6, 3.1 and 34.1)."));
        int bounds = r.Duplicates.Sum(d => d.LowerBounds);
        if (bounds > 0) lines.Add($"{bounds} duplicate counts reached the per-shard candidate cap and are lower bounds.");
        if (variants is { Count: > 0 })
        {
            var present = variants.Where(v => v.HasGenerations).ToList();
            lines.Add(present.Count == 0
                ? $"Key-phrase study: none of the {variants.Count} prompt variants has generations yet."
                : "Key-phrase study: " + string.Join("; ", present.Select(v => $"{v.Variant.Name} {v.Rate.Describe()}")) + ".");
        }
        if (r.Problems.Count > 0) lines.Add($"{r.Problems.Count} problems (listed in the output's case-study.json), e.g. {r.Problems[0]}.");
        return string.Join("\n", lines);
    }
}
