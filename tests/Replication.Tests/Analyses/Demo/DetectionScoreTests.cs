using Replication.Analyses.Demo;

namespace Replication.Tests.Analyses.Demo;

public class DetectionScoreTests
{
    [Fact]
    public void CountsFlagsStrictlyAboveTheThreshold()
    {
        // replicas at 0.9 and 0.5 (0.5 is not above 0.5), novel at 0.7 and 0.2
        var s = DetectionScore.Compute([true, true, false, false], [0.9f, 0.5f, 0.7f, 0.2f], 0.5);
        Assert.Equal((1, 1, 1, 1), (s.TruePositives, s.FalsePositives, s.FalseNegatives, s.TrueNegatives));
        Assert.Equal(0.5, s.Precision);
        Assert.Equal(0.5, s.Recall);
        Assert.True(double.IsNaN(DetectionScore.Compute([false], [0.1f], 0.5).Precision));
    }
}
