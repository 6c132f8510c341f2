using Replication.Reporting.Metrics;
using Replication.Analyses.Scanning;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Tests.Analyses.Scanning;

public class ThresholdChoiceTests
{
    private static CalibratedThreshold Point(double t) => new(0.01, 100, 300, true, t, t, t, 0.1, 0.05, 0.2);

    [Fact]
    public void GivenBeatsCalibratedWhichBeatsThePapersValue()
    {
        Assert.Equal("given", ThresholdChoice.Choose(0.7, Similarity.InnerProduct, [Point(0.8)]).Source);
        Assert.Equal(0.8, ThresholdChoice.Choose(null, Similarity.InnerProduct, [Point(0.8)]).Value);
        Assert.Equal("paper", ThresholdChoice.Choose(null, Similarity.InnerProduct, []).Source);
        Assert.True(double.IsNaN(ThresholdChoice.Choose(null, Similarity.SplitProduct(4), []).Value));
    }

    [Fact]
    public void ACalibrationSwampedByNearDuplicatesFallsBackAndSaysWhy()
    {
        var c = ThresholdChoice.Choose(null, Similarity.InnerProduct, [Point(1.0)], nearDuplicateShare: 0.063);
        Assert.Equal(0.5, c.Value);
        Assert.Contains("near-identical", c.Reason);
        Assert.Contains("de-duplicate", c.Reason);
    }
}
