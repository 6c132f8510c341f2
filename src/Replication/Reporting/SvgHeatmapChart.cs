using System.Globalization;
using System.Net;
using System.Text;

namespace Replication.Reporting;

/// <summary>A heat map drawn as inline SVG with each cell's value written in it: the static twin of a Plotly heat map.</summary>
public static class SvgHeatmapChart
{
    public static string Render(string title, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[][] z)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(z);
        const int cellH = 34, top = 40;
        int cellW = Math.Max(130, 8 + 7 * columns.Max(c => c.Length));
        int left = 20 + 7 * Math.Max(4, rows.Max(r => r.Length));
        int width = left + cellW * columns.Count + 20, height = top + cellH * rows.Count + 30;
        var finite = z.SelectMany(r => r).Where(double.IsFinite).ToList();
        double lo = finite.Count > 0 ? finite.Min() : 0, hi = finite.Count > 0 ? finite.Max() : 1;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.Append($"<text x=\"{left}\" y=\"18\" font-size=\"14\">{WebUtility.HtmlEncode(title)}</text>");
        for (int c = 0; c < columns.Count; c++)
            sb.Append($"<text x=\"{F(left + cellW * (c + 0.5))}\" y=\"{top - 6}\" text-anchor=\"middle\" font-size=\"11\">{WebUtility.HtmlEncode(columns[c])}</text>");
        for (int r = 0; r < rows.Count; r++)
        {
            sb.Append($"<text x=\"{left - 6}\" y=\"{F(top + cellH * (r + 0.5) + 4)}\" text-anchor=\"end\">{WebUtility.HtmlEncode(rows[r])}</text>");
            for (int c = 0; c < columns.Count; c++)
            {
                double v = c < z[r].Length ? z[r][c] : double.NaN;
                double t = double.IsFinite(v) && hi > lo ? (v - lo) / (hi - lo) : 0.5;
                string fill = double.IsFinite(v) ? Colour(t) : "#dddddd";
                string text = double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";
                sb.Append($"<rect x=\"{left + cellW * c}\" y=\"{top + cellH * r}\" width=\"{cellW - 2}\" height=\"{cellH - 2}\" fill=\"{fill}\"/>");
                sb.Append($"<text x=\"{F(left + cellW * (c + 0.5))}\" y=\"{F(top + cellH * (r + 0.5) + 4)}\" text-anchor=\"middle\" fill=\"{(t > 0.55 ? "#000" : "#fff")}\">{text}</text>");
            }
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>A dark-blue to yellow ramp (viridis-like endpoints) for t in [0, 1].</summary>
    private static string Colour(double t)
    {
        (double r, double g, double b) a = (68, 1, 84), m = (33, 145, 140), z = (253, 231, 37);
        var (p, q, u) = t < 0.5 ? (a, m, t * 2) : (m, z, (t - 0.5) * 2);
        int R = (int)Math.Round(p.r + (q.r - p.r) * u), G = (int)Math.Round(p.g + (q.g - p.g) * u), B = (int)Math.Round(p.b + (q.b - p.b) * u);
        return $"#{R:x2}{G:x2}{B:x2}";
    }
}
