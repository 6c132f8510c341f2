using System.Diagnostics;
using Replication.Data.Datasets;
using Replication.Embeddings;
using Replication.Search.Retrieval;
using Replication.Search;

namespace Replication.Analyses.Benchmark;

/// <summary>
/// Runs every model on every dataset (the paper's Table 1). Embeddings are cached per dataset and model under
/// <see cref="BenchmarkOptions.CacheFolder"/> (keyed by the model card's sha256 and preprocessing and by the image
/// files), so a rerun with one new model only embeds that model, and an interrupted run resumes. A model or
/// dataset that fails records failed cells and the run goes on.
/// </summary>
public static class ExtractorBenchmark
{
    public static BenchmarkTable Run(IReadOnlyList<string> models, IReadOnlyList<DatasetSource> datasets, BenchmarkOptions options, Action<string>? log = null)
    {
        log ??= _ => { };
        var cells = new List<BenchmarkCell>();
        var loaded = new Dictionary<string, (CopyDataset? Data, string? Error)>();
        foreach (var d in datasets)
        {
            try { loaded[d.Name] = (d.Load(), null); }
            catch (Exception e) when (IsInputError(e)) { loaded[d.Name] = (null, e.Message); log($"dataset {d.Name}: {e.Message}"); }
        }
        foreach (var model in models)
        {
            FeatureExtractor? extractor = null;
            string? modelError = null;
            try { extractor = FeatureExtractor.Open(model, options.Device); }
            catch (Exception e) when (IsInputError(e)) { modelError = e.Message; log($"model {model}: {e.Message}"); }
            using (extractor)
            {
                foreach (var d in datasets)
                {
                    var (data, dataError) = loaded[d.Name];
                    if (modelError != null || dataError != null)
                    {
                        cells.Add(new BenchmarkCell(model, d.Name, "", null, 0, modelError ?? dataError));
                        continue;
                    }
                    try
                    {
                        cells.Add(RunCell(model, d.Name, extractor!, data!, options, log));
                    }
                    catch (Exception e) when (IsInputError(e))
                    {
                        log($"{model} on {d.Name}: {e.Message}");
                        cells.Add(new BenchmarkCell(model, d.Name, "", null, 0, e.Message));
                    }
                }
            }
        }
        return new BenchmarkTable(models, datasets.Select(d => d.Name).ToList(), cells);
    }

    private static BenchmarkCell RunCell(string model, string dataset, FeatureExtractor extractor, CopyDataset data, BenchmarkOptions options, Action<string> log)
    {
        string folder = Path.Combine(options.CacheFolder, Safe(dataset), Safe(extractor.Card.Name));
        bool embedded = false;
        var sawWork = new CallbackProgress<EmbeddingProgress>(p => embedded |= p.ImagesPerSecond > 0);
        var watch = Stopwatch.StartNew();
        var gallery = EmbeddingJob.Run(data.Gallery, extractor, Path.Combine(folder, "gallery"), options.BatchSize, progress: sawWork);
        var queries = EmbeddingJob.Run(data.Queries, extractor, Path.Combine(folder, "queries"), options.BatchSize, progress: sawWork);
        double seconds = watch.Elapsed.TotalSeconds;
        if (gallery.Skipped.Count > 0 || queries.Skipped.Count > 0)
            throw new InputDataException($"{dataset}: {gallery.Skipped.Count + queries.Skipped.Count} images could not be read " +
                $"(e.g. {gallery.Skipped.Concat(queries.Skipped).First().Path}: {gallery.Skipped.Concat(queries.Skipped).First().Reason}); rows would no longer match the ground truth");
        var similarity = extractor.Card.DefaultSimilarity(gallery.Chunks);
        using var g = gallery.OpenVectors();
        using var q = queries.OpenVectors();
        // µAP from each query's top results (capped as DISC caps predictions); every ranking metric from the full ranking
        var result = ExactSearch.Search(q, g, similarity, Math.Min(options.TopK, gallery.Count), options.Device, memoryBudgetBytes: options.SearchMemoryBytes);
        var full = FullRanking.Rank(q, g, similarity, data.GroundTruth, options.Device, options.SearchMemoryBytes);
        var scores = RetrievalMetrics.Evaluate(full, data.GroundTruth, MatchesFile.FromSearch(result), [1, 5, 10], options.TopK);
        log($"{extractor.Card.Name} on {dataset}: mAP {scores.MeanAveragePrecision:0.000}");
        // images/s includes decoding and preprocessing; NaN when both sets came from the cache
        double rate = embedded ? (data.Gallery.Count + data.Queries.Count) / seconds : double.NaN;
        return new BenchmarkCell(model, dataset, similarity.ToString(), scores, rate, null);
    }


    private static bool IsInputError(Exception e) =>
        e is UserInputException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or IOException
          or Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
