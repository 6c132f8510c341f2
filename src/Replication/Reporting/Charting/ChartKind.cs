namespace Replication.Reporting.Charting;

public enum ChartKind
{
    /// <summary>Series drawn as bars, lines or markers on shared x/y axes (histograms, scatter plots, fitted lines).</summary>
    Xy,

    /// <summary>A matrix of values with row and column labels.</summary>
    Heatmap,
}
