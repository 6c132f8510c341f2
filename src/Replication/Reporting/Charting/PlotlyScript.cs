namespace Replication.Reporting.Charting;

/// <summary>How a chart's HTML gets plotly.js.</summary>
public enum PlotlyScript
{
    /// <summary>The full plotly.js (from Plotly.NET's own copy) inside the HTML: works offline, about 3.5 MB.</summary>
    Inline,

    /// <summary>No script reference: the page already loaded plotly.js (an earlier chart in the same page or notebook).</summary>
    AlreadyLoaded,

    /// <summary>A script tag pointing at the plotly.js CDN (needs internet).</summary>
    Cdn,
}
