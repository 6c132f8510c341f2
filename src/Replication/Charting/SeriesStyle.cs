namespace Replication.Charting;

public enum SeriesStyle
{
    Bars,
    Markers,
    Line,
}
