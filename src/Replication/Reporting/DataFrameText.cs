using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace Replication.Reporting;

/// <summary>Readable renderings of a DataFrame: an HTML table (numbers to 3 decimals) and CSV.</summary>
public static class DataFrameText
{
    public static string ToHtml(DataFrame df, int maxRows = 200)
    {
        var sb = new StringBuilder("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\"><thead><tr>");
        foreach (var c in df.Columns)
            sb.Append("<th style=\"border:1px solid #ccc;padding:4px 8px;background:#f4f4f4\">").Append(WebUtility.HtmlEncode(c.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (long r = 0; r < Math.Min(df.Rows.Count, maxRows); r++)
        {
            sb.Append("<tr>");
            foreach (var c in df.Columns)
            {
                bool numeric = c.DataType != typeof(string);
                sb.Append($"<td style=\"border:1px solid #ccc;padding:4px 8px;text-align:{(numeric ? "right" : "left")}\">")
                  .Append(WebUtility.HtmlEncode(Format(c[r]))).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (df.Rows.Count > maxRows) sb.Append($"<p>… {df.Rows.Count - maxRows} more rows</p>");
        return sb.ToString();
    }

    public static string ToCsv(DataFrame df)
    {
        var sb = new StringBuilder(string.Join(",", df.Columns.Select(c => Replication.Core.Formats.CsvTable.Escape(c.Name)))).Append('\n');
        for (long r = 0; r < df.Rows.Count; r++)
            sb.Append(Replication.Core.Formats.CsvTable.Line(df.Columns.Select(c => c[r]).ToArray())).Append('\n');
        return sb.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "–",
        double d => d.ToString("0.000", CultureInfo.InvariantCulture),
        float f => f.ToString("0.000", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
