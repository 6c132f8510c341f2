using Replication.Embeddings;
using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Metrics;

public class ReplicationStatisticsTests
{
    [Fact]
    public void SummaryMatchesHandComputedNumpyValues()
    {
        // numpy: x=[0.1,0.2,0.4,0.8,0.9]; mean 0.48; std (ddof=0) sqrt(0.508 / 5) = sqrt(0.1016); percentile 75 -> 0.8,
        // 90 -> 0.8 + 0.6*(0.9-0.8) = 0.86, 95 -> 0.88; fraction > 0.5 = 2/5.
        float[] x = [0.8f, 0.1f, 0.9f, 0.4f, 0.2f];
        var s = ReplicationStatistics.Summarize(x, 0.5);
        Assert.Equal(5, s.Count);
        Assert.Equal(0.48, s.Mean, 6);
        Assert.Equal(Math.Sqrt(0.1016), s.Std, 6);
        Assert.Equal(0.8, s.P75, 6);
        Assert.Equal(0.86, s.P90, 6);
        Assert.Equal(0.88, s.P95, 6);
        Assert.Equal(0.4, s.FractionAbove, 6);
    }

    [Fact]
    public void FractionAboveIsStrictAndNaNsAreIgnored()
    {
        var s = ReplicationStatistics.Summarize([0.5f, 0.6f, float.NaN], 0.5);
        Assert.Equal(2, s.Count);
        Assert.Equal(0.5, s.FractionAbove, 6);
    }

    [Fact]
    public void OfficialEdgesAre199BinsOfWidthOneOver199AndOutsideValuesAreCounted()
    {
        float[] x = [0.0f, 0.004f, 0.0051f, 0.5f, 1.0f, 1.2f, -0.1f];
        var h = ReplicationStatistics.DensityHistogram(x, HistogramBins.Official());
        Assert.Equal(199, h.Values.Length);
        Assert.Equal(200, h.Edges.Length);
        Assert.Equal(1.0 / 199, h.Edges[1], 15);
        Assert.Equal(1.0, h.Values.Sum() / 199, 9);
        // 5 values in range (1.2 above, −0.1 below); bin 0 = [0, 1/199) holds 0, 0.004 → density 2 / (5 / 199)
        Assert.Equal(2 * 199 / 5.0, h.Values[0], 9);
        Assert.Equal(199 / 5.0, h.Values[1], 9);
        Assert.Equal(199 / 5.0, h.Values[198], 9); // 1.0 falls in the last, closed bin
        Assert.Equal(1, h.Below);
        Assert.Equal(1, h.Above);
    }

    [Fact]
    public void WithoutAThresholdThereIsNoFractionAbove()
    {
        var s = ReplicationStatistics.Summarize([0.2f, 0.9f], double.NaN);
        Assert.True(double.IsNaN(s.FractionAbove)); // not 0, which would read as "no replicas"
    }

    [Fact]
    public void AnExactCopysCosineJustAboveOneLandsInTheLastBin()
    {
        var h = ReplicationStatistics.DensityHistogram([1.0000001f, 0.9999999f, 1.01f], HistogramBins.Official());
        Assert.Equal(0, h.Below);
        Assert.Equal(1, h.Above);          // 1.01 is no rounding error
        Assert.Equal(199, h.Values[198], 6);  // both rounding-level values in the last bin: 2 / (2 × 1/199)
    }

    [Fact]
    public void OfficialSplitProductHistogramsBinOverTheObservedRange()
    {
        float[] a = [0.004f, 0.006f], b = [0.005f, 0.009f];
        var edges = HistogramBins.For(Similarity.SplitProduct(4), a, b);
        Assert.Equal(0.004f, edges[0], 6);
        Assert.Equal(0.009f, edges[^1], 6);
        Assert.Equal(HistogramBins.Official(), HistogramBins.For(Similarity.SplitCosine(4), a, b));
        Assert.Equal(HistogramBins.Official(), HistogramBins.For(Similarity.InnerProduct, a, b));
    }
}
