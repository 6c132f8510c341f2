using System.Net;
using System.Text;
using Replication.Reporting;
using Replication.Core.Files;

namespace Replication.Analyses.CaseStudy;

/// <summary>A case study as one self-contained HTML page (static SVG charts, inline thumbnails), read from the persisted result.</summary>
public static class CaseStudyReport
{
    public static string Html(CaseStudyResult r, IReadOnlyList<VariantRate>? variants = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Case study: generations against their training set</title>");
        sb.Append("<style>body{font:14px sans-serif;max-width:1100px;margin:24px auto;padding:0 16px}h2{margin-top:32px}table.df{border-collapse:collapse}table.df td,table.df th{border:1px solid #ccc;padding:3px 8px}</style></head><body>");
        sb.Append("<h1>Case study: generations against their training set</h1>");
        sb.Append($"<p>Store {WebUtility.HtmlEncode(r.Store)}: {r.StoreRows:N0} images in {r.StoreShards} shards, {WebUtility.HtmlEncode(r.Model)}, {WebUtility.HtmlEncode(r.Similarity)}. {WebUtility.HtmlEncode(Provenance.Version)}, {Provenance.Now}.</p>");
        sb.Append("<h2>Reading</h2><ul>");
        foreach (var line in CaseStudyCharts.Reading(r, variants).Split('\n')) sb.Append($"<li>{WebUtility.HtmlEncode(line)}</li>");
        sb.Append("</ul><h2>Top-1 similarity of the generations (the paper's Figure 11, left)</h2>").Append(CaseStudyCharts.Top1Svg(r));
        sb.Append("<h2>Generations and their caption sources (Figure 11, centre)</h2>").Append(CaseStudyCharts.SourceSvg(r));
        sb.Append("<h2>Duplicates in the training set (Figure 11, right)</h2>").Append(CaseStudyCharts.DuplicatesSvg(r));
        sb.Append(DataFrameText.ToHtml(CaseStudyCharts.DuplicatesTable(r)));
        if (variants is { Count: > 0 }) sb.Append("<h2>Key phrases</h2>").Append(DataFrameText.ToHtml(CaseStudyCharts.VariantTable(variants)));
        sb.Append($"<h2>Generations above {r.Threshold} (Figure 7)</h2>").Append(CaseStudyCharts.GalleryHtml(r));
        var complexity = ComplexityStudy.Run(r);
        sb.Append("<h2>Complexity of the match images (the official code's analysis, not in the paper)</h2>");
        sb.Append("<p>Each generation's top-1 match measured as <code>diff_retrieval.py</code> does (224×224 view; grey-level entropy, JPEG q90 size, total variation, entropy × √size) and correlated with the top-1 scores.</p>");
        sb.Append($"<p>{WebUtility.HtmlEncode(CaseStudyCharts.ComplexityReading(complexity))}</p>").Append(DataFrameText.ToHtml(CaseStudyCharts.ComplexityTable(complexity)));
        if (r.Problems.Count > 0)
        {
            sb.Append("<h2>Problems</h2><ul>");
            foreach (var p in r.Problems.Take(200)) sb.Append($"<li>{WebUtility.HtmlEncode(p)}</li>");
            if (r.Problems.Count > 200) sb.Append($"<li>... and {r.Problems.Count - 200} more (case-study.json)</li>");
            sb.Append("</ul>");
        }
        return sb.Append("</body></html>").ToString();
    }

    public static void Write(string path, CaseStudyResult r, IReadOnlyList<VariantRate>? variants = null)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(path, Html(r, variants));
    }
}
