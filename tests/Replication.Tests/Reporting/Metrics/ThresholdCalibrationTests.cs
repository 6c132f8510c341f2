using System.Text.Json.Nodes;
using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Metrics;

public class ThresholdCalibrationTests
{
    private static readonly JsonNode Json = JsonNode.Parse(File.ReadAllText(Fixtures.Path("metrics", "calibration.json")))!;

    private static float[] Array(string name) => Json[name]!.AsArray().Select(v => (float)(double)v!).ToArray();

    [Fact]
    public void PointsMatchNumpyAndNeedEnoughTrainingImages()
    {
        var points = ThresholdCalibration.Calibrate(Array("training"), Array("generated"), bootstrap: 200, seed: 3);
        var one = points[0];
        Assert.True(one.Estimable);
        Assert.Equal((double)Json["points"]![0]!["threshold"]!, one.Threshold, 6);
        Assert.Equal((double)Json["points"]![0]!["fraction"]!, one.FractionAbove, 12);
        Assert.True(one.FractionAbove > 0);
        Assert.InRange(one.Threshold, one.ThresholdLow, one.ThresholdHigh);
        Assert.InRange(one.FractionAbove, one.FractionLow, one.FractionHigh);
        Assert.True(one.ThresholdHigh > one.ThresholdLow);
        // 250 training images cannot estimate the 0.1% point
        Assert.False(points[1].Estimable);
        Assert.Equal(1000, points[1].MinimumTraining);
        Assert.True(double.IsNaN(points[1].Threshold));
    }

    [Fact]
    public void BootstrapIsDeterministicForASeed()
    {
        var a = ThresholdCalibration.Calibrate(Array("training"), Array("generated"), bootstrap: 100, seed: 9)[0];
        var b = ThresholdCalibration.Calibrate(Array("training"), Array("generated"), bootstrap: 100, seed: 9)[0];
        Assert.Equal(a, b);
    }

    [Fact]
    public void LargeSetsGetDistributionFreeIntervalsFast()
    {
        var rng = new Random(1);
        var train = Enumerable.Range(0, 200_000).Select(_ => (float)rng.NextDouble()).ToArray();
        var gen = Enumerable.Range(0, 9_000).Select(_ => (float)rng.NextDouble()).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var one = ThresholdCalibration.Calibrate(train, gen)[0];
        Assert.True(watch.Elapsed.TotalSeconds < 10, $"{watch.Elapsed.TotalSeconds} s");
        Assert.Equal("order statistics and Wilson", one.IntervalMethod);
        Assert.InRange(one.Threshold, 0.985, 0.995);                 // uniform scores: the 99th percentile is about 0.99
        Assert.InRange(one.Threshold, one.ThresholdLow, one.ThresholdHigh);
        Assert.True(one.ThresholdHigh - one.ThresholdLow < 0.003);
        Assert.InRange(one.FractionAbove, one.FractionLow, one.FractionHigh);
        Assert.InRange(one.FractionAbove, 0.005, 0.015);
    }

    [Fact]
    public void NinetyNineTrainingImagesAreNotEnoughForTheOnePercentPoint()
    {
        var train = Enumerable.Range(0, 99).Select(i => i / 99f).ToArray();
        Assert.False(ThresholdCalibration.Calibrate(train, [0.5f])[0].Estimable);
        Assert.True(ThresholdCalibration.Calibrate([.. train, 1f], [0.5f])[0].Estimable);
    }
}
