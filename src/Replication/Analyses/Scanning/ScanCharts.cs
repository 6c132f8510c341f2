using Microsoft.Data.Analysis;
using Replication.Reporting.Charting;
using Replication.Reporting.Metrics;
using Replication.Reporting;

namespace Replication.Analyses.Scanning;

/// <summary>The pictures and tables of a scan, shared by the HTML report, the notebooks and their CLI twins.</summary>
public static class ScanCharts
{
    public const string GeneratedSeries = "generated → training (top-1)";
    public const string TrainingSeries = "training → training, self excluded (top-1)";

    /// <summary>Both densities over shared edges: the official [0, 1] edges, or the observed range for the official
    /// split-product, whose scale depends on the data (<see cref="HistogramBins.For"/>).</summary>
    public static (Histogram Generated, Histogram Training) Histograms(ScanResult r)
    {
        float[] gen = r.Matches.TopScores(), train = r.TrainingSelfMatches.TopScores();
        var edges = HistogramBins.For(r.Similarity, gen, train);
        return (ReplicationStatistics.DensityHistogram(gen, edges), ReplicationStatistics.DensityHistogram(train, edges));
    }

    /// <summary>The paper's figure: overlaid densities of generation→training and training→training top-1 similarity.</summary>
    public static ChartSpec HistogramSpec(ScanResult r)
    {
        var (gen, train) = Histograms(r);
        return ChartSpecs.OverlaidHistograms($"Top-1 similarity ({r.ModelName}, {r.Similarity})", [(GeneratedSeries, gen), (TrainingSeries, train)],
            threshold: double.IsFinite(r.Threshold.Value) ? r.Threshold.Value : null);
    }

    /// <summary>The same figure as a static SVG picture.</summary>
    public static string HistogramSvg(ScanResult r)
    {
        var (gen, train) = Histograms(r);
        return SvgHistogramChart.Render([new(GeneratedSeries, gen, ChartSpecs.Palette[0]), new(TrainingSeries, train, ChartSpecs.Palette[1])],
            "similarity", "density", marker: double.IsFinite(r.Threshold.Value) ? r.Threshold.Value : null);
    }

    /// <summary>Summary statistics of both distributions, one row each.</summary>
    public static DataFrame StatisticsTable(ScanResult r)
    {
        var rows = new[] { ("generated → training", r.GeneratedSummary), ("training → training (self excluded)", r.TrainingSummary) };
        return new DataFrame(
            new StringDataFrameColumn("comparison", rows.Select(x => x.Item1)),
            new Int32DataFrameColumn("n", rows.Select(x => x.Item2.Count)),
            new DoubleDataFrameColumn("mean", rows.Select(x => x.Item2.Mean)),
            new DoubleDataFrameColumn("std", rows.Select(x => x.Item2.Std)),
            new DoubleDataFrameColumn("p75", rows.Select(x => x.Item2.P75)),
            new DoubleDataFrameColumn("p90", rows.Select(x => x.Item2.P90)),
            new DoubleDataFrameColumn("p95", rows.Select(x => x.Item2.P95)),
            new DoubleDataFrameColumn($"fraction > {Fmt(r.Threshold.Value)}", rows.Select(x => x.Item2.FractionAbove)));
    }

    /// <summary>One row per calibrated point: the threshold with its interval and the fraction of generations above it.</summary>
    public static DataFrame CalibrationTable(ScanResult r) => new(
        new StringDataFrameColumn("training images above", r.Calibrated.Select(c => c.Label)),
        new StringDataFrameColumn("threshold (95% CI)", r.Calibrated.Select(c => c.Estimable
            ? $"{Fmt(c.Threshold)} ({Fmt(c.ThresholdLow)}–{Fmt(c.ThresholdHigh)})"
            : $"not estimable: needs ≥ {c.MinimumTraining} training images, has {c.TrainingCount}")),
        new StringDataFrameColumn("generations above (95% CI)", r.Calibrated.Select(c => c.Estimable
            ? $"{Fmt(c.FractionAbove)} ({Fmt(c.FractionLow)}–{Fmt(c.FractionHigh)})" : "–")));

    /// <summary>What an exact copy scores here, so that the numbers can be read.</summary>
    public static string ScaleNote(ScanResult r) => r.ExactCopy.Constant
        ? $"On {r.Similarity} an exact copy scores 1; scores range over [{Fmt(r.Similarity.Range.Min)}, {Fmt(r.Similarity.Range.Max)}] and are binned on the official edges (199 bins over [0, 1])."
        : $"On {r.Similarity} (the official split-product, whole vector normalised) an exact copy of a training image scores the largest chunk's share of its squared norm: " +
          $"here between {Fmt(r.ExactCopy.Min)} and {Fmt(r.ExactCopy.Max)} (median {Fmt(r.ExactCopy.Median)}), not 1; the histogram bins the observed range. " +
          "For a [0, 1] scale use the split-cos similarity (each chunk normalised, our variant).";

    /// <summary>Says how many scores fell outside the histogram's edges, or null when none did.</summary>
    public static string? OutsideNote(ScanResult r)
    {
        var (gen, train) = Histograms(r);
        int below = gen.Below + train.Below, above = gen.Above + train.Above;
        return below + above == 0 ? null
            : $"{below + above} score(s) fall outside the histogram's range [{Fmt(gen.Edges[0])}, {Fmt(gen.Edges[^1])}] and are not drawn ({below} below, {above} above); the statistics include them.";
    }

    private static string Fmt(double v) => double.IsNaN(v) ? "–" : v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
