using System.Runtime.Loader;
using Replication.Reporting.Charting;
using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Charting;

public class PlotlyChartsTests
{
    [Fact]
    public void RendersEveryChartKindThroughTheIsolatedContext()
    {
        var h = ReplicationStatistics.DensityHistogram([0.1f, 0.5f, 0.9f], HistogramBins.Official());
        var histogram = PlotlyCharts.ToHtml(ChartSpecs.OverlaidHistograms("hist", [("a", h)], threshold: 0.5), PlotlyScript.AlreadyLoaded);
        var scatter = PlotlyCharts.ToHtml(ChartSpecs.Scatter("sc", "x", "y", [1, 2, 3], [2, 4, 7], ["p", "q", "r"], fitLine: true), PlotlyScript.AlreadyLoaded);
        var heat = PlotlyCharts.ToHtml(ChartSpecs.Heatmap("hm", ["r1", "r2"], ["c1", "c2"], [[1, 2], [3, 4]]), PlotlyScript.AlreadyLoaded);
        Assert.Contains("\"type\":\"bar\"", histogram);
        Assert.Contains("\"dash\":\"dash\"", histogram);
        Assert.Contains("\"text\":[\"p\",\"q\",\"r\"]", scatter);
        Assert.Contains("fit: y = 2.5x − 0.667", scatter);
        Assert.Contains("\"type\":\"heatmap\"", heat);
        foreach (var html in new[] { histogram, scatter, heat })
            Assert.DoesNotContain("<script src=", html);

        // Plotly.NET and its FSharp.Core live only in the isolated context, never in the default one
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name is "Plotly.NET" or "FSharp.Core");
        var isolated = AssemblyLoadContext.All.Single(c => c.Name == "Replication.Charts");
        var fsharp = isolated.Assemblies.Single(a => a.GetName().Name == "FSharp.Core");
        Assert.True(fsharp.GetName().Version >= new Version(10, 1), fsharp.GetName().Version?.ToString());
    }

    [Fact]
    public void InlineModeCarriesPlotlyJsAndCdnModeReferencesIt()
    {
        var spec = ChartSpecs.Scatter("s", "x", "y", [0, 1], [0, 1]);
        var inline = PlotlyCharts.ToHtml(spec, PlotlyScript.Inline);
        Assert.True(inline.Length > 1_000_000);
        Assert.Contains("<script src=\"https://cdn.plot.ly/plotly-", PlotlyCharts.ToHtml(spec, PlotlyScript.Cdn));
    }

    [Fact]
    public void InlinePlotlyHidesTheAmdLoaderAndChartsKeepAStaticTwin()
    {
        var h = ReplicationStatistics.DensityHistogram([0.1f, 0.5f, 0.9f], HistogramBins.Official());
        var spec = ChartSpecs.OverlaidHistograms("hist", [("a", h)]);
        var inline = PlotlyCharts.ToHtml(spec, PlotlyScript.Inline);
        Assert.Contains("(function (define, module, exports) {", inline); // works where require.js is loaded
        var svg = Replication.Reporting.SvgHistogramChart.Render([new("a", h, "#123456")], "x", "y");
        var page = PlotlyCharts.WithStaticFallback(inline, svg);
        Assert.StartsWith("<div class=\"rs-chart\"><div id=\"rs-static-", page);
        Assert.Contains("<svg", page);
        Assert.Contains("s.style.display = 'none'", page);
        Assert.Equal(inline, PlotlyCharts.WithStaticFallback(inline, null));
    }
}
