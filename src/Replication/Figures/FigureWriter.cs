using System.Net;
using Replication.Reporting.Charting;
using Replication.Reporting;
using Replication.Core.Files;

namespace Replication.Figures;

/// <summary>
/// Writes a figure's blocks as files (the CLI twin of a notebook): each chart as a self-contained interactive
/// HTML page and, where it has one, a static SVG; each table as CSV; each HTML block as a page; and index.html
/// with everything in notebook order.
/// </summary>
public static class FigureWriter
{
    public static IReadOnlyList<string> Write(FigureOutput figure, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var index = new List<string> { $"<h1>{WebUtility.HtmlEncode(figure.Title)}</h1>" };
        bool plotlyLoaded = false;
        void Save(string name, string text) { var p = Path.Combine(folder, name); AtomicFile.WriteAllText(p, text); written.Add(p); }
        foreach (var block in figure.Blocks)
        {
            switch (block)
            {
                case ChartBlock c:
                    Save(c.Name + ".html", PlotlyCharts.ToPage(c.Spec.Title, [PlotlyCharts.ToHtml(c.Spec, PlotlyScript.Inline)]));
                    if (c.StaticSvg != null) Save(c.Name + ".svg", c.StaticSvg);
                    index.Add(PlotlyCharts.ToHtml(c.Spec, plotlyLoaded ? PlotlyScript.AlreadyLoaded : PlotlyScript.Inline));
                    plotlyLoaded = true;
                    break;
                case TableBlock t:
                    Save(t.Name + ".csv", DataFrameText.ToCsv(t.Table));
                    index.Add(DataFrameText.ToHtml(t.Table));
                    break;
                case HtmlBlock h:
                    Save(h.Name + ".html", PlotlyCharts.ToPage(h.Name, [h.Html]));
                    index.Add(h.Html);
                    break;
            }
        }
        Save("index.html", PlotlyCharts.ToPage(figure.Title, index));
        return written;
    }
}
