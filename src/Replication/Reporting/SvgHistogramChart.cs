using System.Globalization;
using System.Net;
using System.Text;
using Replication.Reporting.Metrics;

namespace Replication.Reporting;

/// <summary>Overlaid density histograms drawn as inline SVG: a static picture that needs no script and works offline.</summary>
public static class SvgHistogramChart
{
    public sealed record Series(string Name, Histogram Histogram, string Color);

    public static string Render(IReadOnlyList<Series> series, string xLabel, string yLabel, int width = 760, int height = 360, double? marker = null)
    {
        const int left = 60, right = 20, top = 20, bottom = 50;
        double plotW = width - left - right, plotH = height - top - bottom;
        double xMin = series[0].Histogram.Edges[0], xMax = series[0].Histogram.Edges[^1];
        double yMax = Math.Max(1e-9, series.Max(s => s.Histogram.Values.DefaultIfEmpty(0).Max())) * 1.05;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);  // coordinates
        double X(double v) => left + (v - xMin) / (xMax - xMin) * plotW;
        double Y(double v) => top + plotH - v / yMax * plotH;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" fill=\"#fafafa\" stroke=\"#888\"/>");
        var xTicks = AxisTicks.For(xMin, xMax, 10);
        double xStep = xTicks.Length > 1 ? xTicks[1] - xTicks[0] : 1;
        foreach (var v in xTicks)
        {
            sb.Append($"<line x1=\"{F(X(v))}\" y1=\"{F(top + plotH)}\" x2=\"{F(X(v))}\" y2=\"{F(top + plotH + 5)}\" stroke=\"#444\"/>");
            sb.Append($"<text x=\"{F(X(v))}\" y=\"{F(top + plotH + 18)}\" text-anchor=\"middle\">{AxisTicks.Label(v, xStep)}</text>");
        }
        var yTicks = AxisTicks.For(0, yMax, 5);
        double yStep = yTicks.Length > 1 ? yTicks[1] - yTicks[0] : 1;
        foreach (var v in yTicks)
        {
            sb.Append($"<line x1=\"{left - 5}\" y1=\"{F(Y(v))}\" x2=\"{left}\" y2=\"{F(Y(v))}\" stroke=\"#444\"/>");
            sb.Append($"<text x=\"{left - 8}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\">{AxisTicks.Label(v, yStep)}</text>");
        }
        foreach (var s in series)
        {
            var h = s.Histogram;
            sb.Append($"<g fill=\"{s.Color}\" fill-opacity=\"0.55\">");
            for (int i = 0; i < h.Values.Length; i++)
            {
                if (h.Values[i] <= 0) continue;
                sb.Append($"<rect x=\"{F(X(h.Edges[i]))}\" y=\"{F(Y(h.Values[i]))}\" width=\"{F(Math.Max(0.5, X(h.Edges[i + 1]) - X(h.Edges[i])))}\" height=\"{F(top + plotH - Y(h.Values[i]))}\"><title>{WebUtility.HtmlEncode(s.Name)} [{F(h.Edges[i])}, {F(h.Edges[i + 1])}): {F(h.Values[i])}</title></rect>");
            }
            sb.Append("</g>");
        }
        if (marker is double m)
            sb.Append($"<line x1=\"{F(X(m))}\" y1=\"{top}\" x2=\"{F(X(m))}\" y2=\"{F(top + plotH)}\" stroke=\"#c00\" stroke-dasharray=\"4 3\"><title>threshold {F(m)}</title></line>");
        for (int i = 0; i < series.Count; i++)
        {
            double ly = top + 12 + i * 18;
            sb.Append($"<rect x=\"{left + 12}\" y=\"{F(ly - 10)}\" width=\"14\" height=\"12\" fill=\"{series[i].Color}\" fill-opacity=\"0.55\"/>");
            sb.Append($"<text x=\"{left + 32}\" y=\"{F(ly)}\">{WebUtility.HtmlEncode(series[i].Name)}</text>");
        }
        sb.Append($"<text x=\"{F(left + plotW / 2)}\" y=\"{height - 10}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(xLabel)}</text>");
        sb.Append($"<text transform=\"translate(16,{F(top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{WebUtility.HtmlEncode(yLabel)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}
