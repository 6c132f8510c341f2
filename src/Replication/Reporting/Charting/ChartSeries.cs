namespace Replication.Reporting.Charting;

/// <summary>One series of an x/y chart. <see cref="Labels"/> (optional) name each point, shown beside markers and on hover.</summary>
public sealed record ChartSeries(string Name, double[] X, double[] Y, SeriesStyle Style, string? Color = null, double Opacity = 1.0, string[]? Labels = null);
