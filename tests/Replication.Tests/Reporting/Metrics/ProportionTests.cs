using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Metrics;

public class ProportionTests
{
    [Fact]
    public void TheIntervalHoldsTheFractionAndIsSeeded()
    {
        var items = Enumerable.Range(0, 400).Select(i => i % 10 == 0).ToList();
        var p = Proportion.Estimate(items, 1000, seed: 3);
        Assert.Equal((40, 400, 0.1), (p.Count, p.Total, p.Fraction));
        Assert.InRange(p.Low, 0.06, 0.1);
        Assert.InRange(p.High, 0.1, 0.14);
        // the binomial standard error is 0.015: the 95% interval spans about ±1.96 of it
        Assert.InRange(p.High - p.Low, 0.045, 0.075);
        Assert.Equal(p, Proportion.Estimate(items, 1000, seed: 3));
        Assert.NotEqual(p, Proportion.Estimate(items, 1000, seed: 4));
    }

    [Fact]
    public void NoneAboveHasAZeroIntervalAndNoItemsHaveNone()
    {
        var p = Proportion.Estimate(new bool[50], 100);
        Assert.Equal((0.0, 0.0, 0.0), (p.Fraction, p.Low, p.High));
        Assert.True(double.IsNaN(Proportion.Estimate([], 100).Fraction));
        Assert.Equal("no items", Proportion.Estimate([], 100).Describe());
    }
}
