namespace Replication.Reporting.Charting;

/// <summary>
/// Everything a chart shows, as plain data. The library builds specs (<see cref="ChartSpecs"/>); renderers draw
/// them: Plotly.NET for interactive HTML (<see cref="PlotlyCharts"/>), <see cref="Replication.Reporting.SvgHistogramChart"/> for static pictures.
/// </summary>
public sealed record ChartSpec
{
    public ChartKind Kind { get; init; } = ChartKind.Xy;
    public string Title { get; init; } = "";
    public string XLabel { get; init; } = "";
    public string YLabel { get; init; } = "";
    public IReadOnlyList<ChartSeries> Series { get; init; } = [];

    /// <summary>Heat map values, <c>Z[row][column]</c>.</summary>
    public double[][]? Z { get; init; }
    public string[]? RowLabels { get; init; }
    public string[]? ColumnLabels { get; init; }

    /// <summary>A dashed vertical marker (e.g. the replication threshold).</summary>
    public double? VerticalLine { get; init; }
    public string? VerticalLineLabel { get; init; }

    public int Width { get; init; } = 820;
    public int Height { get; init; } = 420;
}
