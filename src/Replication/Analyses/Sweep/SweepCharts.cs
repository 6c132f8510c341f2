using System.Globalization;
using Microsoft.Data.Analysis;
using Replication.Reporting.Charting;
using Replication.Reporting.Metrics;

namespace Replication.Analyses.Sweep;

/// <summary>The tables, charts and the plain-words reading of a <see cref="SweepResult"/>, shared by notebook 02 and its CLI twin.</summary>
public static class SweepCharts
{
    public static double Median(float[] scores)
    {
        var sorted = scores.Select(v => (double)v).Where(double.IsFinite).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : ReplicationStatistics.Percentile(sorted, 50);
    }

    /// <summary>One row per (model, training size): the statistics the paper's Figure 5 summarises, the threshold, and the Fréchet distance.</summary>
    public static DataFrame Table(SweepResult r) => new(
        new StringDataFrameColumn("model", r.Rows.Select(x => $"{x.Model} ({x.Scan.Similarity})")),
        new StringDataFrameColumn("case", r.Rows.Select(x => x.Case.Label)),
        new Int32DataFrameColumn("training images", r.Rows.Select(x => x.Scan.Training.Count)),
        new Int32DataFrameColumn("generations", r.Rows.Select(x => x.Scan.Generated.Count)),
        new DoubleDataFrameColumn("generated top-1 median", r.Rows.Select(x => Median(x.Scan.Matches.TopScores()))),
        new DoubleDataFrameColumn("generated top-1 p95", r.Rows.Select(x => x.Scan.GeneratedSummary.P95)),
        new DoubleDataFrameColumn("training self top-1 median", r.Rows.Select(x => Median(x.Scan.TrainingSelfMatches.TopScores()))),
        new DoubleDataFrameColumn("training self top-1 p95", r.Rows.Select(x => x.Scan.TrainingSummary.P95)),
        new DoubleDataFrameColumn("threshold", r.Rows.Select(x => x.Threshold)),
        new DoubleDataFrameColumn("generations above threshold", r.Rows.Select(x => x.FractionAbove)),
        new DoubleDataFrameColumn("above: 95% low", r.Rows.Select(x => x.Copies.Low)),
        new DoubleDataFrameColumn("above: 95% high", r.Rows.Select(x => x.Copies.High)),
        new DoubleDataFrameColumn("held-out real top-1 median", r.Rows.Select(x => x.Quality is { } q ? Median(q.ReferenceScan.Matches.TopScores()) : double.NaN)),
        new DoubleDataFrameColumn("KID to held-out real", r.Rows.Select(x => x.Quality?.KernelDistance.Mean ?? double.NaN)),
        new DoubleDataFrameColumn("KID sd", r.Rows.Select(x => x.Quality?.KernelDistance.StandardDeviation ?? double.NaN)),
        new DoubleDataFrameColumn("KID real vs real", r.Rows.Select(x => r.RealBaseline.TryGetValue(x.Model, out var b) ? b.Mean : double.NaN)),
        new DoubleDataFrameColumn("Fréchet distance to training", r.Rows.Select(x => x.Frechet)));

    /// <summary>The fraction of generations above each model's threshold against log₁₀ of the training-set size.</summary>
    public static ChartSpec FractionAboveSpec(SweepResult r) => new()
    {
        Title = "Generations above the replication threshold vs training-set size",
        XLabel = "training images (log10)", YLabel = "fraction of generations above the threshold",
        Series = Models(r).Select((m, i) =>
        {
            var rows = r.Of(m).ToList();
            return new ChartSeries($"{m} (threshold {Fmt(rows[0].Threshold)})", rows.Select(x => Math.Log10(x.Case.TrainingSize)).ToArray(),
                rows.Select(x => x.FractionAbove).ToArray(), SeriesStyle.Line, ChartSpecs.Palette[i % ChartSpecs.Palette.Length],
                Labels: rows.Select(x => $"{x.Case.TrainingSize}").ToArray());
        }).ToList(),
    };

    /// <summary>Medians of generation→training and training→training top-1 similarity against log₁₀ of the training-set size.</summary>
    public static ChartSpec MediansSpec(SweepResult r) => new()
    {
        Title = "Median top-1 similarity: generations vs the training set's own baseline",
        XLabel = "training images (log10)", YLabel = "median top-1 similarity",
        Series = Models(r).SelectMany((m, i) =>
        {
            var rows = r.Of(m).ToList();
            var x = rows.Select(v => Math.Log10(v.Case.TrainingSize)).ToArray();
            var labels = rows.Select(v => $"{v.Case.TrainingSize}").ToArray();
            return new[]
            {
                new ChartSeries($"{m}: generated → training", x, rows.Select(v => Median(v.Scan.Matches.TopScores())).ToArray(), SeriesStyle.Line,
                    ChartSpecs.Palette[(2 * i) % ChartSpecs.Palette.Length], Labels: labels),
                new ChartSeries($"{m}: training → training", x, rows.Select(v => Median(v.Scan.TrainingSelfMatches.TopScores())).ToArray(), SeriesStyle.Line,
                    ChartSpecs.Palette[(2 * i + 1) % ChartSpecs.Palette.Length], Labels: labels),
            }.Concat(rows.All(v => v.Quality is not null)
                ? [new ChartSeries($"{m}: held-out real → training", x, rows.Select(v => Median(v.Quality!.ReferenceScan.Matches.TopScores())).ToArray(),
                    SeriesStyle.Line, ChartSpecs.Palette[(2 * i + 2) % ChartSpecs.Palette.Length], Labels: labels)]
                : Array.Empty<ChartSeries>());
        }).ToList(),
    };

    /// <summary>What the numbers say, per model, in words computed from them (the notebook prints this; nothing is written by hand).</summary>
    public static string Reading(SweepResult r)
    {
        var lines = new List<string>();
        foreach (var m in Models(r))
        {
            var rows = r.Of(m).ToList();
            var fractions = rows.Select(x => x.FractionAbove).ToList();
            bool falls = fractions.Zip(fractions.Skip(1)).All(p => p.Second <= p.First) && fractions[^1] < fractions[0];
            string trend = fractions.Any(double.IsNaN) ? "cannot be compared: this similarity has no threshold here"
                : rows.Count < 2 ? "only one training size"
                : falls ? "falls as the training set grows (never rising from one size to the next)"
                : fractions[^1] < fractions[0] ? "is lower for the largest set than for the smallest, but not at every step"
                : "does not fall as the training set grows";
            var gaps = rows.Select(x => $"{x.Case.TrainingSize}: {Fmt(Median(x.Scan.Matches.TopScores()) - Median(x.Scan.TrainingSelfMatches.TopScores()))}");
            lines.Add($"{m}: the fraction of generations above the threshold {Fmt(rows[0].Threshold)} ({string.Join(", ", rows.Select(x => $"{x.Case.TrainingSize} images: {Fmt(x.FractionAbove)} [{Fmt(x.Copies.Low)}–{Fmt(x.Copies.High)}]"))}) {trend}. " +
                      $"Median generated top-1 minus median training self top-1, by size: {string.Join("; ", gaps)}.");
            if (rows.All(x => x.Quality is not null))
            {
                var q = rows.Select(x => $"{x.Case.TrainingSize}: {Fmt(Median(x.Scan.Matches.TopScores()) - Median(x.Quality!.ReferenceScan.Matches.TopScores()))}");
                string baseline = r.RealBaseline.TryGetValue(m, out var b) ? $"; real vs real {Fmt5(b.Mean)} ± {Fmt5(b.StandardDeviation)}" : "";
                lines.Add($"{m}: median generated top-1 minus median held-out real top-1 (0: generations are as close to the training set as new real images), by size: {string.Join("; ", q)}. " +
                          $"KID to held-out real images, by size: {string.Join("; ", rows.Select(x => $"{x.Case.TrainingSize}: {Fmt5(x.Quality!.KernelDistance.Mean)} ± {Fmt5(x.Quality.KernelDistance.StandardDeviation)}"))}{baseline}.");
            }
        }
        return string.Join("\n", lines);
    }

    private static IEnumerable<string> Models(SweepResult r) => r.Rows.Select(x => x.Model).Distinct();

    private static string Fmt5(double v) => double.IsNaN(v) ? "–" : v.ToString("0.#####", CultureInfo.InvariantCulture);

    private static string Fmt(double v) => double.IsNaN(v) ? "–" : v.ToString("0.###", CultureInfo.InvariantCulture);
}
