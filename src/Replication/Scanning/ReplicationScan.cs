using Replication.Features;
using Replication.Imaging;
using Replication.Metrics;
using Replication.Search;
using Replication.Storage;

namespace Replication.Scanning;

/// <summary>
/// The paper's central analysis: embed generated and training images, find each generation's nearest
/// training images, and compare with the training set's self-similarity. Embeddings are kept in
/// OUT/generated and OUT/training and reused when a rerun has the same model and images.
/// </summary>
public static class ReplicationScan
{
    public static ScanResult Run(ScanOptions options, ScanProgress? progress = null)
    {
        progress ??= new ScanProgress();
        var generatedImages = ImageCollection.Open(options.Generated);
        var trainingImages = ImageCollection.Open(options.Training);
        Directory.CreateDirectory(options.OutputFolder);
        using var extractor = FeatureExtractor.Open(options.Model, options.Device);
        var generated = EmbedOrReuse("generated", generatedImages, extractor, options, progress);
        var training = EmbedOrReuse("training", trainingImages, extractor, options, progress);
        if (generated.Count == 0)
            throw new InvalidDataException($"{options.Generated}: none of the {generatedImages.Count} generated images could be read (see skipped.csv)");
        if (training.Count < 2)
            throw new InvalidDataException($"{options.Training}: fewer than 2 readable training images; a self-similarity baseline needs at least 2");

        var similarity = options.Similarity;
        if (similarity.Kind == SimilarityKind.SplitProduct && training.Chunks > 1 && similarity.Chunks != training.Chunks)
            progress.Message?.Invoke($"note: the model outputs {training.Chunks} tokens; splitting into {similarity.Chunks} chunks as asked");
        var gen = new InMemoryVectors(generated.Vectors, generated.RowLength, "generated embeddings");
        var train = new InMemoryVectors(training.Vectors, training.RowLength, "training embeddings");
        var matches = ExactSearch.Search(gen, train, similarity, Math.Min(options.TopK, training.Count), options.Device,
            progress: progress.Search?.Invoke("generated → training"));
        var self = ExactSearch.SelfSimilarity(train, similarity, 1, options.Device, progress.Search?.Invoke("training → training"));

        var result = new ScanResult(options, extractor.Card.Name, generated, training, matches, self,
            ReplicationStatistics.Summarize(matches.TopScores(), options.Threshold),
            ReplicationStatistics.Summarize(self.TopScores(), options.Threshold));
        ScanReport.WriteAll(result);
        return result;
    }

    private static EmbeddingSet EmbedOrReuse(string name, IReadOnlyList<ImageRecord> images, FeatureExtractor extractor, ScanOptions options, ScanProgress progress)
    {
        string folder = Path.Combine(options.OutputFolder, name);
        if (TryReuse(folder, images, extractor.Card.Name) is { } reused)
        {
            progress.Message?.Invoke($"{name}: reusing {reused.Count} embeddings from {folder}");
            return reused;
        }
        var set = EmbeddingPipeline.Run(images, extractor, options.BatchSize, progress.Embedding?.Invoke($"embedding {name}"));
        EmbeddingFiles.Write(folder, set);
        return set;
    }

    /// <summary>Embeddings already written for exactly these images with this model, or null.</summary>
    private static EmbeddingSet? TryReuse(string folder, IReadOnlyList<ImageRecord> images, string model)
    {
        if (!File.Exists(Path.Combine(folder, EmbeddingFiles.Metadata)))
            return null;
        try
        {
            var info = EmbeddingFiles.ReadInfo(folder);
            if (info.Model != model || info.Rows + info.SkippedCount != images.Count)
                return null;
            var rows = EmbeddingFiles.ReadImages(folder);
            var byPath = images.ToDictionary(i => i.Path, StringComparer.Ordinal);
            if (rows.Any(r => !byPath.ContainsKey(r.Path)))
                return null;
            var skipped = CsvTable.Read(Path.Combine(folder, EmbeddingFiles.Skipped));
            var skippedList = Enumerable.Range(0, skipped.Rows.Count).Select(i => new SkippedImage(skipped.Cell(i, "path")!, skipped.Cell(i, "reason")!)).ToList();
            float[] vectors = info.Rows > 0 ? NpyMatrix.ReadAll(Path.Combine(folder, EmbeddingFiles.Vectors), out _, out _) : [];
            return new EmbeddingSet(rows.Select(r => byPath[r.Path]).ToList(), vectors, info.Dimension, info.Chunks, skippedList, model);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return null;
        }
    }
}
