using Replication.Reporting.Metrics;

namespace Replication.Reporting.Charting;

/// <summary>The charts of the paper's figures, as specs built from the library's results.</summary>
public static class ChartSpecs
{
    public static readonly string[] Palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    /// <summary>Overlaid density histograms (bars drawn at each bin's centre, width = bin width).</summary>
    public static ChartSpec OverlaidHistograms(string title, IReadOnlyList<(string Name, Histogram Histogram)> series, string xLabel = "similarity", double? threshold = null) => new()
    {
        Title = title,
        XLabel = xLabel,
        YLabel = "density",
        VerticalLine = threshold,
        VerticalLineLabel = threshold is null ? null : $"threshold {threshold}",
        Series = series.Select((s, i) => new ChartSeries(
            s.Name,
            s.Histogram.Edges.Zip(s.Histogram.Edges.Skip(1), (a, b) => (a + b) / 2).ToArray(),
            s.Histogram.Values,
            SeriesStyle.Bars, Palette[i % Palette.Length], 0.55)).ToList(),
    };

    /// <summary>A scatter plot with labelled points and, when asked, the least-squares line through them.</summary>
    public static ChartSpec Scatter(string title, string xLabel, string yLabel, double[] x, double[] y, string[]? labels = null, bool fitLine = false)
    {
        var series = new List<ChartSeries> { new("points", x, y, SeriesStyle.Markers, Palette[1], 1, labels) };
        if (fitLine && x.Length >= 2)
        {
            var fit = LinearFit.Fit(x, y);
            double lo = x.Min(), hi = x.Max();
            series.Add(new ChartSeries(fit.Describe(),
                [lo, hi], [fit.At(lo), fit.At(hi)], SeriesStyle.Line, Palette[0]));
        }
        return new ChartSpec { Title = title, XLabel = xLabel, YLabel = yLabel, Series = series };
    }

    public static ChartSpec Heatmap(string title, string[] rowLabels, string[] columnLabels, double[][] z, string xLabel = "", string yLabel = "") => new()
    {
        Kind = ChartKind.Heatmap, Title = title, RowLabels = rowLabels, ColumnLabels = columnLabels, Z = z, XLabel = xLabel, YLabel = yLabel,
    };
}
