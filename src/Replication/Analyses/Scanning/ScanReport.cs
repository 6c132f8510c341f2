using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Replication.Embeddings;
using Replication.Reporting;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Analyses.Scanning;

/// <summary>Writes a scan's outputs: report.html (self-contained), summary.json, matches.csv and skipped.csv.</summary>
public static class ScanReport
{
    public const string Html = "report.html";
    public const string Summary = "summary.json";
    public const string Matches = "matches.csv";
    public const string Skipped = "skipped.csv";

    public static void WriteAll(ScanResult r)
    {
        string o = r.Options.OutputFolder;
        AtomicFile.WriteAllText(Path.Combine(o, Matches), MatchesCsv(r));
        EmbeddingFiles.WriteSkipped(Path.Combine(o, Skipped), r.Generated.Skipped.Concat(r.Training.Skipped));
        AtomicFile.WriteAllText(Path.Combine(o, Summary), SummaryJson(r));
        AtomicFile.WriteAllText(Path.Combine(o, Html), HtmlReport(r));
    }

    public static string MatchesCsv(ScanResult r)
    {
        var sb = new StringBuilder("query,query_id,rank,match,match_id,score\n");
        for (int q = 0; q < r.Matches.Queries; q++)
        {
            var idx = r.Matches.IndicesOf(q);
            var sc = r.Matches.ScoresOf(q);
            for (int k = 0; k < r.Matches.K; k++)
            {
                if (idx[k] < 0) break;
                sb.Append(CsvTable.Line(q, r.Generated.Images[q].Id, k, idx[k], r.Training.Images[(int)idx[k]].Id, sc[k])).Append('\n');
            }
        }
        return sb.ToString();
    }

    public static string SummaryJson(ScanResult r) => JsonSerializer.Serialize(new
    {
        model = r.ModelName,
        similarity = r.Similarity.ToString(),
        threshold = Num(r.Threshold.Value),
        threshold_source = r.Threshold.Source,
        threshold_reason = r.Threshold.Reason,
        calibrated_thresholds = r.Calibrated.Select(c => new
        {
            training_exceedance = c.Exceedance, estimable = c.Estimable, minimum_training_images = c.MinimumTraining,
            threshold = Num(c.Threshold), threshold_ci95 = new[] { Num(c.ThresholdLow), Num(c.ThresholdHigh) },
            generated_fraction_above = Num(c.FractionAbove), generated_fraction_ci95 = new[] { Num(c.FractionLow), Num(c.FractionHigh) },
        }),
        exact_copy_score = new { constant = r.ExactCopy.Constant, min = r.ExactCopy.Min, median = r.ExactCopy.Median, max = r.ExactCopy.Max },
        whitening = Replication.Embeddings.Whitening.Name(r.Whitening),
        alpha = r.Options.Alpha.ToString(),
        accept_truncated = r.Options.AcceptTruncated,
        input_warnings = r.InputWarnings,
        near_constant_images = r.ImageWarnings.Select(w => w.Path),
        non_finite_embeddings = new { generated = r.NonFiniteGenerated, training = r.NonFiniteTraining },
        generated = new { images = r.Generated.Count, skipped = r.Generated.Skipped.Count, top1 = SummaryObject(r.GeneratedSummary) },
        training = new { images = r.Training.Count, skipped = r.Training.Skipped.Count, top1_excluding_self = SummaryObject(r.TrainingSummary) },
    }, ModelCard.Json);

    private static double? Num(double v) => double.IsFinite(v) ? v : null;

    /// <summary>A summary with JSON nulls where a number is undefined (no threshold, no scores).</summary>
    private static object SummaryObject(Replication.Reporting.Metrics.SimilaritySummary s) => new
    {
        count = s.Count, mean = Num(s.Mean), std = Num(s.Std), p75 = Num(s.P75), p90 = Num(s.P90), p95 = Num(s.P95),
        threshold = Num(s.Threshold), fraction_above = Num(s.FractionAbove),
    };

    /// <summary>The verdict (<see cref="ScanResult.Verdict"/>) as the report, notebook 00 and its CLI twin open with it.</summary>
    public static string VerdictHtml(ScanResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return $"<p class=\"rs-verdict\" style=\"font-size:16px;background:#f4f4f4;padding:8px 12px;border-left:4px solid #555\"><b>{WebUtility.HtmlEncode(r.Verdict())}</b></p>";
    }

    /// <summary>Writes report.html again with <paramref name="section"/> (HTML) after the statistics: the demo's ground-truth scores.</summary>
    public static void WriteHtml(ScanResult r, string? section) => AtomicFile.WriteAllText(Path.Combine(r.Options.OutputFolder, Html), HtmlReport(r, section));

    public static string HtmlReport(ScanResult r, string? section = null)
    {
        var sb = new StringBuilder();
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.000", CultureInfo.InvariantCulture);
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Replication scan</title><style>")
          .Append("body{font-family:sans-serif;margin:24px;color:#222}.rs-warn{color:#a15c00}td.rs-hi{color:#c00;font-weight:bold}")
          .Append("</style></head><body>");
        sb.Append($"<h1>Replication scan</h1>{VerdictHtml(r)}<p>Model <b>{E(r.ModelName)}</b>, similarity <b>{E(r.Similarity.ToString())}</b>, ")
          .Append($"{r.Generated.Count} generated images against {r.Training.Count} training images.</p>")
          .Append($"<p>Threshold <b>{F(r.Threshold.Value)}</b>: {E(r.Threshold.Reason)}.</p>")
          .Append($"<p>{E(ScanCharts.ScaleNote(r))}</p>");
        sb.Append($"<p>Transparency: <b>{E(r.Options.Alpha.ToString())}</b>{(r.Options.Alpha.Mode == Replication.Images.AlphaMode.Drop ? " (as the official pipelines: the colour stored under transparent pixels, often black)" : " (as a person sees the image; the official pipelines drop alpha instead)")}.</p>");
        foreach (var w in r.InputWarnings) sb.Append($"<p class=\"rs-warn\">Warning: {E(w)}</p>");
        foreach (var (side, ids) in new[] { ("generated", r.NonFiniteGenerated), ("training", r.NonFiniteTraining) })
            if (ids.Count > 0)
                sb.Append($"<p class=\"rs-warn\">Warning: {ids.Count} {side} image(s) have embeddings with NaN or infinite values and were left out of the search: ")
                  .Append(E(string.Join(", ", ids.Take(20)))).Append(ids.Count > 20 ? ", …" : "").Append("</p>");
        if (r.ImageWarnings.Count > 0)
        {
            sb.Append($"<p class=\"rs-warn\">Warning: {r.ImageWarnings.Count} near-constant image(s) (a single colour: no content to compare, and all such images match each other at about 1):</p><ul>");
            foreach (var w in r.ImageWarnings.Take(50)) sb.Append($"<li>{E(w.Path)}</li>");
            if (r.ImageWarnings.Count > 50) sb.Append($"<li>… and {r.ImageWarnings.Count - 50} more (see warnings.csv in generated/ and training/)</li>");
            sb.Append("</ul>");
        }
        if (r.Whitening != Replication.Embeddings.WhiteningMode.None)
            sb.Append($"<p>Embeddings transformed with <b>{E(Replication.Embeddings.Whitening.Name(r.Whitening))}</b>, fitted on the training embeddings and applied to both sides (beyond the paper).</p>");
        sb.Append("<h2>Top-1 similarity</h2>").Append(ScanCharts.HistogramSvg(r))
          .Append("<p><b>How to read this.</b> Red: each generation's similarity to its closest training image. Blue: each training image's ")
          .Append("similarity to its closest <i>other</i> training image, the baseline of how alike the training set already is. Generations far to ")
          .Append("the right of the blue mass look more like one training image than training images look like each other: candidates for copying, ")
          .Append("to be checked by eye in the gallery below. The dashed line is the threshold; scores above it are printed in red.</p>");
        if (ScanCharts.OutsideNote(r) is { } outside) sb.Append($"<p>{E(outside)}</p>");
        sb.Append("<h2>Statistics</h2>").Append(DataFrameText.ToHtml(ScanCharts.StatisticsTable(r)));
        sb.Append("<h2>Thresholds calibrated on the training set</h2>").Append(DataFrameText.ToHtml(ScanCharts.CalibrationTable(r)))
          .Append("<p>A calibrated threshold is the score that only the given share of training images exceed against their nearest other training image; ")
          .Append("intervals are percentile-bootstrap 95% intervals (1,000 resamples of training and generated images), or for more than 50,000 ")
          .Append("scores distribution-free ones (order statistics for the threshold, Wilson for the fraction).</p>");
        if (section is not null) sb.Append(section);
        int skipped = r.Generated.Skipped.Count + r.Training.Skipped.Count;
        if (skipped > 0)
            sb.Append($"<p>{skipped} image(s) could not be read and were skipped; see {Skipped}.</p>");
        sb.Append(GalleryHtml(r, r.Options.GalleryRows));
        sb.Append(AllGenerationsHtml(r));
        sb.Append(ProvenanceHtml(r));
        sb.Append("</body></html>");
        return sb.ToString();
    }

    /// <summary>Every generation with its top-1 score and match, sortable by clicking a column header (a few lines of inline
    /// script; without scripts the table stays sorted by score). Links to the full outputs.</summary>
    public static string AllGenerationsHtml(ScanResult r)
    {
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        bool notes = r.Options.Annotations is { Count: > 0 };
        var sb = new StringBuilder($"<h2>All {r.Matches.Queries} generations</h2><p>Full top-{r.Matches.K} lists: <a href=\"{Matches}\">{Matches}</a>; ")
            .Append($"images that could not be read: <a href=\"{Skipped}\">{Skipped}</a>. Click a column header to sort.</p>")
            .Append("<table class=\"rs-sortable\" style=\"border-collapse:collapse;font-size:12px\"><thead><tr>");
        foreach (var h in notes ? new[] { "generation", "top-1 score", "top-1 training match", "note" } : ["generation", "top-1 score", "top-1 training match"])
            sb.Append($"<th style=\"border:1px solid #ccc;padding:3px 8px;background:#f4f4f4;cursor:pointer\">{h}</th>");
        sb.Append("</tr></thead><tbody>");
        var order = Enumerable.Range(0, r.Matches.Queries).OrderByDescending(q => r.Matches.ScoresOf(q)[0]).ThenBy(q => q);
        foreach (int q in order)
        {
            var gen = r.Generated.Images[q];
            long m = r.Matches.IndicesOf(q)[0];
            float score = r.Matches.ScoresOf(q)[0];
            string shown = score.ToString("0.000", CultureInfo.InvariantCulture);
            sb.Append("<tr>")
              .Append($"<td style=\"border:1px solid #ccc;padding:3px 8px\">{E(gen.Id)}</td>")
              .Append($"<td style=\"border:1px solid #ccc;padding:3px 8px;text-align:right\" data-v=\"{score.ToString("R", CultureInfo.InvariantCulture)}\" class=\"{(score > r.Threshold.Value ? "rs-hi" : "")}\">{shown}</td>")
              .Append($"<td style=\"border:1px solid #ccc;padding:3px 8px\">{(m >= 0 ? E(r.Training.Images[(int)m].Id) : "–")}</td>");
            if (notes) sb.Append($"<td style=\"border:1px solid #ccc;padding:3px 8px\">{E(Note(r, gen.Path))}</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        sb.Append("<script>document.querySelectorAll('table.rs-sortable th').forEach(function (th, i) { th.addEventListener('click', function () {")
          .Append("var body = th.closest('table').tBodies[0], rows = Array.from(body.rows), asc = th.dataset.asc !== '1'; th.dataset.asc = asc ? '1' : '0';")
          .Append("rows.sort(function (a, b) { var x = a.cells[i], y = b.cells[i], p = x.dataset.v, q = y.dataset.v;")
          .Append("var c = p !== undefined ? parseFloat(p) - parseFloat(q) : x.textContent.localeCompare(y.textContent); return asc ? c : -c; });")
          .Append("rows.forEach(function (row) { body.appendChild(row); }); }); });</script>");
        return sb.ToString();
    }

    /// <summary>Where the report came from: command, version, date, machine, inputs, model, preprocessing, settings.</summary>
    public static string ProvenanceHtml(ScanResult r)
    {
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var rows = new List<(string, string)>
        {
            ("command", r.Options.CommandLine ?? "(library call)"),
            ("version", Provenance.Version),
            ("date", Provenance.Now),
            ("machine", Provenance.Machine),
            ("generated", $"{r.Options.Generated}: {r.Generated.Count} embedded, {r.Generated.Skipped.Count} skipped"),
            ("training", $"{r.Options.Training}: {r.Training.Count} embedded, {r.Training.Skipped.Count} skipped"),
            ("model", $"{r.ModelName} (sha256 {r.ModelSha256})"),
            ("preprocessing", r.Preprocessing),
            ("transparency", r.Options.Alpha.ToString()),
            ("truncated images", r.Options.AcceptTruncated ? "decoded with what they hold (truncated images accepted, as Pillow's LOAD_TRUNCATED_IMAGES)" : "skipped (as Pillow by default)"),
            ("similarity", r.Similarity.ToString()),
            ("whitening", Replication.Embeddings.Whitening.Name(r.Whitening)),
            ("threshold", $"{(double.IsNaN(r.Threshold.Value) ? "none" : r.Threshold.Value.ToString("0.000", CultureInfo.InvariantCulture))} ({r.Threshold.Source})"),
            ("outputs", $"{Matches} (every generation's top {r.Matches.K}), {Skipped}, {Summary}, embeddings in generated/ and training/"),
        };
        var sb = new StringBuilder("<h2>Provenance</h2><table style=\"border-collapse:collapse;font-size:13px\">");
        foreach (var (k, v) in rows)
            sb.Append($"<tr><th style=\"text-align:left;padding:2px 12px 2px 0;vertical-align:top\">{E(k)}</th><td style=\"padding:2px 0;overflow-wrap:anywhere\">{E(v)}</td></tr>");
        return sb.Append("</table>").ToString();
    }

    /// <summary>The generations closest to a training image, each beside its top-k training matches with scores.</summary>
    public static string GalleryHtml(ScanResult r, int rows)
    {
        var sb = new StringBuilder(GalleryStyle).Append("<div class=\"rs-gallery\">");
        var thumbnails = new Dictionary<string, string?>(StringComparer.Ordinal); // a training image often matches several generations
        sb.Append($"<h2>The {Math.Min(rows, r.Matches.Queries)} generations closest to a training image</h2>");
        var order = Enumerable.Range(0, r.Matches.Queries).OrderByDescending(q => r.Matches.ScoresOf(q)[0]).ThenBy(q => q).Take(rows);
        foreach (int q in order)
        {
            var gen = r.Generated.Images[q];
            sb.Append("<div class=\"rs-row\">").Append(Cell(gen.Path, gen.Id, null, "rs-gen", r.Threshold.Value, thumbnails, r.Options, Note(r, gen.Path)));
            var idx = r.Matches.IndicesOf(q);
            var sc = r.Matches.ScoresOf(q);
            for (int k = 0; k < r.Matches.K && idx[k] >= 0; k++)
            {
                var t = r.Training.Images[(int)idx[k]];
                sb.Append(Cell(t.Path, t.Id, sc[k], "", r.Threshold.Value, thumbnails, r.Options));
            }
            sb.Append("</div>");
        }
        return sb.Append("</div>").ToString();
    }

    /// <summary>Scoped to <c>.rs-gallery</c>, so that a notebook page hosting the gallery keeps its own styles.</summary>
    private const string GalleryStyle =
        "<style>.rs-gallery .rs-row{display:flex;gap:10px;align-items:flex-start;margin:10px 0;border-bottom:1px solid #eee;padding-bottom:10px}" +
        ".rs-gallery .rs-cell{width:170px;font-size:11px;overflow-wrap:anywhere}" +
        // small images (32×32 samples) are shown at least 96 px wide, pixels kept sharp
        ".rs-gallery .rs-cell img{max-width:160px;max-height:160px;min-width:96px;height:auto;image-rendering:pixelated;display:block}" +
        // the generation is marked by a frame around its picture (a cell background showed as a strip beside narrow images)
        ".rs-gallery .rs-gen img{outline:3px solid #e8a0a0;outline-offset:1px;margin:4px 0 8px 4px}.rs-gallery .rs-hi{color:#c00;font-weight:bold}</style>";

    private static string? Note(ScanResult r, string path) =>
        r.Options.Annotations is { } notes && notes.TryGetValue(Path.GetFileName(path), out var note) ? note : null;

    private static string Cell(string path, string id, float? score, string cls, double threshold, Dictionary<string, string?> thumbnails, ScanOptions options, string? note = null)
    {
        if (!thumbnails.TryGetValue(path, out var uri))
            thumbnails[path] = uri = Thumbnails.DataUri(path, alpha: options.Alpha, acceptTruncated: options.AcceptTruncated);
        string img = uri is null ? "<div>(no preview)</div>" : $"<img src=\"{uri}\" alt=\"{WebUtility.HtmlEncode(id)}\">";
        string label = score is float s
            ? $"<span class=\"{(s > threshold ? "rs-hi" : "")}\">{s.ToString("0.000", CultureInfo.InvariantCulture)}</span> {WebUtility.HtmlEncode(id)}"
            : $"<b>generated</b> {WebUtility.HtmlEncode(id)}{(note is null ? "" : $"<br><i>{WebUtility.HtmlEncode(note)}</i>")}";
        return $"<div class=\"rs-cell {cls}\">{img}{label}</div>";
    }
}
