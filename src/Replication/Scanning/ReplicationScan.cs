using Replication.Features;
using Replication.Imaging;
using Replication.Metrics;
using Replication.Search;
using Replication.Storage;

namespace Replication.Scanning;

/// <summary>
/// The paper's central analysis: embed generated and training images, find each generation's nearest
/// training images, and compare with the training set's self-similarity. Embeddings go to OUT/generated and
/// OUT/training (resumable, reused by a rerun with the same model and files) and are searched block by block from disk.
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
        var generated = EmbeddingJob.Run(generatedImages, extractor, Path.Combine(options.OutputFolder, "generated"), options.BatchSize,
            progress: progress.Embedding?.Invoke("embedding generated"));
        var training = EmbeddingJob.Run(trainingImages, extractor, Path.Combine(options.OutputFolder, "training"), options.BatchSize,
            progress: progress.Embedding?.Invoke("embedding training"));
        if (generated.Count == 0)
            throw new InvalidDataException($"{options.Generated}: none of the {generatedImages.Count} generated images could be read (see {generated.Folder}/{EmbeddingFiles.Skipped})");
        if (training.Count < 2)
            throw new InvalidDataException($"{options.Training}: fewer than 2 readable training images; a self-similarity baseline needs at least 2");

        using var gen = generated.OpenVectors();
        using var train = training.OpenVectors();
        var similarity = options.Similarity ?? extractor.Card.DefaultSimilarity(training.Chunks);
        var matches = ExactSearch.Search(gen, train, similarity, Math.Min(options.TopK, training.Count), options.Device,
            progress: progress.Search?.Invoke("generated → training"));
        var self = ExactSearch.SelfSimilarity(train, similarity, 1, options.Device, progress.Search?.Invoke("training → training"));

        var result = new ScanResult(options, extractor.Card.Name, similarity, generated, training, matches, self,
            ReplicationStatistics.Summarize(matches.TopScores(), options.Threshold),
            ReplicationStatistics.Summarize(self.TopScores(), options.Threshold));
        ScanReport.WriteAll(result);
        return result;
    }
}
