using Microsoft.Data.Analysis;
using Replication.Charting;
using Replication.Metrics;
using Replication.Reports;

namespace Replication.Scanning;

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
            threshold: r.Options.Threshold);
    }

    /// <summary>The same figure as a static SVG picture.</summary>
    public static string HistogramSvg(ScanResult r)
    {
        var (gen, train) = Histograms(r);
        return SvgHistogramChart.Render([new(GeneratedSeries, gen, ChartSpecs.Palette[0]), new(TrainingSeries, train, ChartSpecs.Palette[1])],
            "similarity", "density", marker: r.Options.Threshold);
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
            new DoubleDataFrameColumn($"fraction > {r.Options.Threshold}", rows.Select(x => x.Item2.FractionAbove)));
    }
}
