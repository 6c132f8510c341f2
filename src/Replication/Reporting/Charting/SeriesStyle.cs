namespace Replication.Reporting.Charting;

public enum SeriesStyle
{
    Bars,
    Markers,
    Line,
}
