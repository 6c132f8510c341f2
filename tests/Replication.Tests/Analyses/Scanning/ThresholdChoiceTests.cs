using Replication.Reporting.Metrics;
using Replication.Analyses.Scanning;
using Replication.Embeddings;

namespace Replication.Tests.Analyses.Scanning;

public class ThresholdChoiceTests
{
    private static CalibratedThreshold Point(double t) => new(0.01, 100, 300, true, t, t, t, 0.1, 0.05, 0.2);

    [Fact]
    public void GivenBeatsCalibratedWhichBeatsThePapersValue()
    {
        Assert.Equal("given", ThresholdChoice.Choose(ThresholdPolicy.Given(0.7), Similarity.InnerProduct, [Point(0.8)]).Source);
        Assert.Equal(0.8, ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.InnerProduct, [Point(0.8)]).Value);
        Assert.Equal("paper", ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.InnerProduct, []).Source);
        Assert.True(double.IsNaN(ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.SplitProduct(4), []).Value));
        var paper = ThresholdChoice.Choose(ThresholdPolicy.Paper, Similarity.InnerProduct, [Point(0.8)]);
        Assert.Equal((0.5, "paper"), (paper.Value, paper.Source));
    }

    [Fact]
    public void APolicyIsParsedOnceAndResolvedTheSameWayEverywhere()
    {
        Assert.Same(ThresholdPolicy.Auto, ThresholdPolicy.Parse(" AUTO "));
        Assert.Same(ThresholdPolicy.Paper, ThresholdPolicy.Parse("paper"));
        Assert.Equal(0.25, ThresholdPolicy.Parse("0.25").Fixed);
        Assert.Equal("Threshold", Assert.Throws<ParameterException>(() => ThresholdPolicy.Parse("high")).Parameter);
        Assert.Throws<ParameterException>(() => ThresholdPolicy.Parse("NaN"));
        Assert.Equal(0.8, ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.InnerProduct, [Point(0.8)]).Value);
        Assert.Equal(ThresholdPolicy.PaperValue, ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.InnerProduct, [Point(0.8) with { Estimable = false }]).Value);
        Assert.Equal(0.3, ThresholdChoice.Choose(ThresholdPolicy.Given(0.3), Similarity.InnerProduct, [Point(0.8)]).Value);
        Assert.Equal("auto", ThresholdPolicy.Auto.ToString());
        Assert.Equal("0.3", ThresholdPolicy.Given(0.3).ToString());
    }

    [Fact]
    public void ACalibrationSwampedByNearDuplicatesFallsBackAndSaysWhy()
    {
        var c = ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.InnerProduct, [Point(1.0)], nearDuplicateShare: 0.063);
        Assert.Equal(0.5, c.Value);
        Assert.Contains("near-identical", c.Reason);
        Assert.Contains("de-duplicate", c.Reason);
    }

    [Fact]
    public void ACardsCalibratedThresholdComesBeforeTheTrainingsButNotBeforeAGivenOrThePapersValue()
    {
        var card = new CardCalibration { Threshold = 0.51, Exceedance = 1e-4, Pairs = 1_000_000 };
        var auto = ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.InnerProduct, [Point(0.8)], card: card, trainingCount: 300);
        Assert.Equal((0.51, "card-calibrated"), (auto.Value, auto.Source));
        Assert.Equal(1 - Math.Pow(1 - 1e-4, 300), auto.FalseFlagRate!.Value, 12);
        Assert.Contains("3%", auto.Reason);
        Assert.Contains("1,000,000", auto.Reason);
        Assert.Equal(0.7, ThresholdChoice.Choose(ThresholdPolicy.Given(0.7), Similarity.InnerProduct, [], card: card).Value);
        Assert.Equal(0.5, ThresholdChoice.Choose(ThresholdPolicy.Paper, Similarity.InnerProduct, [], card: card).Value);
        Assert.Null(ThresholdChoice.Choose(ThresholdPolicy.Auto, Similarity.InnerProduct, [Point(0.8)]).FalseFlagRate);
    }

    [Fact]
    public void TrainingAsksForTheTrainingCalibrationEvenWhenTheCardHasAThreshold()
    {
        var card = new CardCalibration { Threshold = 0.51, Exceedance = 1e-4, Pairs = 1_000_000 };
        Assert.Same(ThresholdPolicy.Training, ThresholdPolicy.Parse(" Training"));
        Assert.Equal("training", ThresholdPolicy.Training.ToString());
        Assert.Null(ThresholdPolicy.Training.Fixed);
        Assert.True(ThresholdPolicy.Training.IsCalibrated && ThresholdPolicy.Auto.IsCalibrated && !ThresholdPolicy.Paper.IsCalibrated);
        var c = ThresholdChoice.Choose(ThresholdPolicy.Training, Similarity.InnerProduct, [Point(0.8)], card: card, trainingCount: 300);
        Assert.Equal((0.8, "calibrated-1%"), (c.Value, c.Source));
        Assert.Equal("paper", ThresholdChoice.Choose(ThresholdPolicy.Training, Similarity.InnerProduct, [], card: card).Source);
    }
}
