using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Metrics;

public class LinearFitTests
{
    [Fact]
    public void FitsHandComputedLine()
    {
        // x = 1,2,3; y = 2,4,7: slope = sxy/sxx = 5/2, intercept = 13/3 - 2.5*2 = -2/3, R² = 25/(2*12.6667)
        var fit = LinearFit.Fit([1, 2, 3], [2, 4, 7]);
        Assert.Equal(2.5, fit.Slope, 12);
        Assert.Equal(-2.0 / 3, fit.Intercept, 12);
        Assert.Equal(25.0 / (2 * (38.0 / 3)), fit.RSquared, 12);
        Assert.Throws<ArgumentException>(() => LinearFit.Fit([1, 1], [2, 3]));
    }
}
