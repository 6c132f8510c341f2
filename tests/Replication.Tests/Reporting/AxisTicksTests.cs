using Replication.Reporting;

namespace Replication.Tests.Reporting;

public class AxisTicksTests
{
    [Theory]
    [InlineData(0, 53.78, new[] { 0.0, 10, 20, 30, 40, 50 })]
    [InlineData(0, 1, new[] { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 })]
    [InlineData(0.004, 0.009, new[] { 0.004, 0.005, 0.006, 0.007, 0.008, 0.009 })]
    [InlineData(0, 12.9, new[] { 0.0, 2.5, 5, 7.5, 10, 12.5 })]
    public void TicksAreRoundAndInsideTheRange(double min, double max, double[] expected)
    {
        var ticks = AxisTicks.For(min, max, 5);
        Assert.Equal(expected.Length, ticks.Length);
        for (int i = 0; i < ticks.Length; i++) Assert.Equal(expected[i], ticks[i], 9);
    }

    [Fact]
    public void LabelsCarryTheDecimalsTheStepNeeds()
    {
        Assert.Equal("10", AxisTicks.Label(10, 10));
        Assert.Equal("0.2", AxisTicks.Label(0.2, 0.2));
        Assert.Equal("7.5", AxisTicks.Label(7.5, 2.5));
        Assert.Equal("0.005", AxisTicks.Label(0.005, 0.001));
    }
}
