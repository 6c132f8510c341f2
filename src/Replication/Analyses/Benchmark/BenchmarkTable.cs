using Replication.Core.Files;
using System.Text.Json;
using Microsoft.Data.Analysis;
using Replication.Reporting.Charting;

namespace Replication.Analyses.Benchmark;

/// <summary>
/// The paper's Table 1: models × datasets with mAP, R@1, R@5 and MRR per cell, and each model's average rank
/// (rank 1 = the best mAP on a dataset, ties share the mean of their ranks; lower average is better).
/// </summary>
public sealed record BenchmarkTable(IReadOnlyList<string> Models, IReadOnlyList<string> Datasets, IReadOnlyList<BenchmarkCell> Cells)
{
    public BenchmarkCell Cell(string model, string dataset) => Cells.Single(c => c.Model == model && c.Dataset == dataset);

    /// <summary>Per dataset, the rank of each model that succeeded on it.</summary>
    public IReadOnlyDictionary<(string Model, string Dataset), double> Ranks()
    {
        var ranks = new Dictionary<(string, string), double>();
        foreach (var d in Datasets)
        {
            var ok = Cells.Where(c => c.Dataset == d && c.Succeeded && !double.IsNaN(c.Scores!.MeanAveragePrecision))
                .OrderByDescending(c => c.Scores!.MeanAveragePrecision).ToList();
            for (int i = 0; i < ok.Count;)
            {
                int j = i;
                while (j + 1 < ok.Count && ok[j + 1].Scores!.MeanAveragePrecision == ok[i].Scores!.MeanAveragePrecision) j++;
                double shared = (i + j) / 2.0 + 1;
                for (int t = i; t <= j; t++) ranks[(ok[t].Model, d)] = shared;
                i = j + 1;
            }
        }
        return ranks;
    }

    /// <summary>Each model's mean rank over the datasets it succeeded on (NaN when none).</summary>
    public IReadOnlyDictionary<string, double> AverageRank()
    {
        var ranks = Ranks();
        return Models.ToDictionary(m => m, m =>
        {
            var r = ranks.Where(x => x.Key.Model == m).Select(x => x.Value).ToList();
            return r.Count == 0 ? double.NaN : r.Average();
        });
    }

    /// <summary>One row per cell.</summary>
    public DataFrame ToDataFrame()
    {
        var ranks = Ranks();
        double Get(BenchmarkCell c, Func<Replication.Search.Retrieval.RetrievalScores, double> f) => c.Scores is null ? double.NaN : f(c.Scores);
        return new DataFrame(
            new StringDataFrameColumn("model", Cells.Select(c => c.Model)),
            new StringDataFrameColumn("dataset", Cells.Select(c => c.Dataset)),
            new StringDataFrameColumn("similarity", Cells.Select(c => c.Similarity)),
            new DoubleDataFrameColumn("mAP", Cells.Select(c => Get(c, s => s.MeanAveragePrecision))),
            new DoubleDataFrameColumn("R@1", Cells.Select(c => Get(c, s => s.RecallAt.GetValueOrDefault(1, double.NaN)))),
            new DoubleDataFrameColumn("R@5", Cells.Select(c => Get(c, s => s.RecallAt.GetValueOrDefault(5, double.NaN)))),
            new DoubleDataFrameColumn("revisitop P@5", Cells.Select(c => Get(c, s => s.RevisitopPrecisionAt.GetValueOrDefault(5, double.NaN)))),
            new DoubleDataFrameColumn("DCR MRR", Cells.Select(c => Get(c, s => s.DcrMeanReciprocalRank))),
            new DoubleDataFrameColumn("µAP", Cells.Select(c => Get(c, s => s.MicroAveragePrecision))),
            new DoubleDataFrameColumn("rank", Cells.Select(c => ranks.TryGetValue((c.Model, c.Dataset), out var r) ? r : double.NaN)),
            new DoubleDataFrameColumn("images/s", Cells.Select(c => c.ImagesPerSecond)),
            new StringDataFrameColumn("error", Cells.Select(c => c.Error ?? "")));
    }

    /// <summary>Table 1's layout: one row per model, one mAP column per dataset, then the average rank.</summary>
    public DataFrame ToSummaryFrame()
    {
        var avg = AverageRank();
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("model", Models) };
        foreach (var d in Datasets)
            columns.Add(new DoubleDataFrameColumn(d, Models.Select(m => Cell(m, d).Scores?.MeanAveragePrecision ?? double.NaN)));
        columns.Add(new DoubleDataFrameColumn("average rank", Models.Select(m => avg[m])));
        return new DataFrame(columns);
    }

    public ChartSpec HeatMap() => ChartSpecs.Heatmap("mAP by extractor and dataset", Models.ToArray(), Datasets.ToArray(),
        Models.Select(m => Datasets.Select(d => Cell(m, d).Scores?.MeanAveragePrecision ?? double.NaN).ToArray()).ToArray(), "dataset", "extractor");

    public string ToJson() => JsonSerializer.Serialize(new
    {
        models = Models,
        datasets = Datasets,
        average_rank = AverageRank().ToDictionary(x => x.Key, x => double.IsNaN(x.Value) ? (double?)null : x.Value),
        cells = Cells.Select(c => new
        {
            model = c.Model, dataset = c.Dataset, similarity = c.Similarity, error = c.Error, images_per_second = Num(c.ImagesPerSecond),
            map = Num(c.Scores?.MeanAveragePrecision), micro_ap = Num(c.Scores?.MicroAveragePrecision), dcr_mrr = Num(c.Scores?.DcrMeanReciprocalRank),
            mrr = Num(c.Scores?.MeanReciprocalRank), revisitop_p5 = Num(c.Scores?.RevisitopPrecisionAt.GetValueOrDefault(5, double.NaN)),
            r1 = Num(c.Scores?.RecallAt.GetValueOrDefault(1, double.NaN)), r5 = Num(c.Scores?.RecallAt.GetValueOrDefault(5, double.NaN)),
            queries = c.Scores?.Queries, micro_ap_cap = c.Scores?.MicroApCap, full_ranking = c.Scores is null ? (bool?)null : !c.Scores.IsLowerBound,
        }),
    }, JsonFile.Indented);

    private static double? Num(double? v) => v is null || double.IsNaN(v.Value) ? null : v;
}
