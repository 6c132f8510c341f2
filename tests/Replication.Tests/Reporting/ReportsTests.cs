using Microsoft.Data.Analysis;
using Replication.Reporting.Metrics;
using Replication.Reporting;

namespace Replication.Tests.Reporting;

public class ReportsTests
{
    [Fact]
    public void DataFramesRenderAsReadableHtmlAndExactCsv()
    {
        var df = new DataFrame(new StringDataFrameColumn("name", ["a<b", "c"]), new DoubleDataFrameColumn("value", [0.123456, double.NaN]));
        var html = DataFrameText.ToHtml(df);
        Assert.Contains("a&lt;b", html);
        Assert.Contains("0.123", html);
        Assert.DoesNotContain("0.1234", html);
        Assert.Contains("–", html); // NaN
        Assert.Equal("name,value\na<b,0.123456\nc,NaN\n", DataFrameText.ToCsv(df));
    }

    [Fact]
    public void SvgHistogramDrawsOneBarPerNonEmptyBinAndTheThreshold()
    {
        var h = ReplicationStatistics.DensityHistogram([0.1f, 0.1f, 0.8f], HistogramBins.Official());
        var svg = SvgHistogramChart.Render([new("s", h, "#123456")], "x", "y", marker: 0.5);
        Assert.StartsWith("<svg", svg);
        Assert.Equal(2, svg.Split("<rect x=").Length - 1 - 2); // two bars, plus the frame and the legend swatch
        Assert.Contains("threshold 0.5", svg);
    }
}
