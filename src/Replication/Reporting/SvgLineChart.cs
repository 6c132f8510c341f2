using System.Globalization;
using System.Net;
using System.Text;
using Replication.Reporting.Charting;

namespace Replication.Reporting;

/// <summary>Lines with markers from a <see cref="ChartSpec"/>'s x/y series, drawn as inline SVG (the static twin of an
/// interactive line chart). Points may carry labels, written beside the markers.</summary>
public static class SvgLineChart
{
    public static string Render(ChartSpec spec, int width = 760, int height = 360)
    {
        ArgumentNullException.ThrowIfNull(spec);
        const int left = 60, right = 20, top = 20, bottom = 50;
        double plotW = width - left - right, plotH = height - top - bottom;
        var points = spec.Series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        double xMin = points.Count > 0 ? points.Min(p => p.First) : 0, xMax = points.Count > 0 ? points.Max(p => p.First) : 1;
        double yMin = Math.Min(0, points.Count > 0 ? points.Min(p => p.Second) : 0), yMax = points.Count > 0 ? points.Max(p => p.Second) : 1;
        if (xMax - xMin < 1e-12) { xMin -= 0.5; xMax += 0.5; }
        double pad = (xMax - xMin) * 0.06;
        xMin -= pad; xMax += pad;
        yMax = yMax <= yMin ? yMin + 1 : yMax + (yMax - yMin) * 0.08;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        double X(double v) => left + (v - xMin) / (xMax - xMin) * plotW;
        double Y(double v) => top + plotH - (v - yMin) / (yMax - yMin) * plotH;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        if (spec.Title.Length > 0) sb.Append($"<title>{WebUtility.HtmlEncode(spec.Title)}</title>");
        sb.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" fill=\"#fafafa\" stroke=\"#888\"/>");
        var xTicks = AxisTicks.For(xMin, xMax, 8);
        double xStep = xTicks.Length > 1 ? xTicks[1] - xTicks[0] : 1;
        foreach (var v in xTicks)
            sb.Append($"<line x1=\"{F(X(v))}\" y1=\"{F(top + plotH)}\" x2=\"{F(X(v))}\" y2=\"{F(top + plotH + 5)}\" stroke=\"#444\"/>")
              .Append($"<text x=\"{F(X(v))}\" y=\"{F(top + plotH + 18)}\" text-anchor=\"middle\">{AxisTicks.Label(v, xStep)}</text>");
        var yTicks = AxisTicks.For(yMin, yMax, 5);
        double yStep = yTicks.Length > 1 ? yTicks[1] - yTicks[0] : 1;
        foreach (var v in yTicks)
            sb.Append($"<line x1=\"{left - 5}\" y1=\"{F(Y(v))}\" x2=\"{left}\" y2=\"{F(Y(v))}\" stroke=\"#444\"/>")
              .Append($"<text x=\"{left - 8}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\">{AxisTicks.Label(v, yStep)}</text>");
        for (int i = 0; i < spec.Series.Count; i++)
        {
            var s = spec.Series[i];
            string color = s.Color ?? ChartSpecs.Palette[i % ChartSpecs.Palette.Length];
            var pts = s.X.Zip(s.Y).Select((p, j) => (p.First, p.Second, Label: s.Labels?[j])).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
            if (s.Style != SeriesStyle.Markers && pts.Count > 1)
                sb.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', pts.Select(p => $"{F(X(p.First))},{F(Y(p.Second))}"))}\"/>");
            foreach (var p in pts)
            {
                sb.Append($"<circle cx=\"{F(X(p.First))}\" cy=\"{F(Y(p.Second))}\" r=\"4\" fill=\"{color}\"><title>{WebUtility.HtmlEncode(s.Name)}: {F(p.First)}, {p.Second.ToString("0.###", CultureInfo.InvariantCulture)}</title></circle>");
                if (p.Label is not null)
                    sb.Append($"<text x=\"{F(X(p.First) + 6)}\" y=\"{F(Y(p.Second) - 6)}\" fill=\"#333\">{WebUtility.HtmlEncode(p.Label)}</text>");
            }
            double ly = top + 12 + i * 18;
            sb.Append($"<rect x=\"{left + 12}\" y=\"{F(ly - 10)}\" width=\"14\" height=\"12\" fill=\"{color}\"/>")
              .Append($"<text x=\"{left + 32}\" y=\"{F(ly)}\">{WebUtility.HtmlEncode(s.Name)}</text>");
        }
        sb.Append($"<text x=\"{F(left + plotW / 2)}\" y=\"{height - 10}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(spec.XLabel)}</text>");
        sb.Append($"<text transform=\"translate(16,{F(top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{WebUtility.HtmlEncode(spec.YLabel)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}
