using Replication.Embeddings;
using Replication.Images;
using Replication.Reporting.Metrics;
using Replication.Core.Vectors;
using Replication.Search;

namespace Replication.Analyses.Scanning;

/// <summary>
/// The paper's central analysis: embed generated and training images, find each generation's nearest
/// training images, and compare with the training set's self-similarity. Embeddings go to OUT/generated and
/// OUT/training (resumable, reused by a rerun with the same model and files) and are searched block by block from disk.
/// Options that cannot work (a threshold outside the metric's range, chunks that do not divide the embedding, whitening
/// that cannot be fitted) are refused before any image is embedded.
/// </summary>
public static class ReplicationScan
{
    public static ScanResult Run(ScanOptions options, ScanProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        progress ??= new ScanProgress();
        var inputWarnings = InputChecks.Check(options);
        Validate(options, FeatureExtractor.CardOf(options.Model), trainingImages: null);
        var generatedImages = ImageCollection.Open(options.Generated, options.FollowSymlinks);
        var trainingImages = ImageCollection.Open(options.Training, options.FollowSymlinks);
        inputWarnings = [.. inputWarnings, .. DuplicateFiles.Warnings(DuplicateFiles.Find(generatedImages, trainingImages))];
        using var extractor = FeatureExtractor.Open(options.Model, options.Device);
        extractor.Alpha = options.Alpha;
        extractor.AcceptTruncated = options.AcceptTruncated;
        Validate(options, extractor.Card, trainingImages.Count);
        Directory.CreateDirectory(options.OutputFolder);
        var generated = EmbeddingJob.Run(generatedImages, extractor, Path.Combine(options.OutputFolder, "generated"), options.BatchSize,
            progress: progress.Embedding?.Invoke("embedding generated"));
        var training = EmbeddingJob.Run(trainingImages, extractor, Path.Combine(options.OutputFolder, "training"), options.BatchSize,
            progress: progress.Embedding?.Invoke("embedding training"));
        return Analyze(options, extractor.Card, generated, training, inputWarnings, progress);
    }

    /// <summary>
    /// The search and statistics of a scan on embeddings already made (by <see cref="Run"/>, or by a sweep that embeds nested
    /// training subsets once): writes the report files into <see cref="ScanOptions.OutputFolder"/> and returns the result.
    /// </summary>
    public static ScanResult Analyze(ScanOptions options, ModelCard card, EmbeddingFolder generated, EmbeddingFolder training,
        IReadOnlyList<string> inputWarnings, ScanProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(card);
        progress ??= new ScanProgress();
        Directory.CreateDirectory(options.OutputFolder);
        if (generated.Count == 0)
            throw new InputDataException($"{options.Generated}: none of the {generated.Count + generated.Skipped.Count} generated images could be read (see {generated.Folder}/{EmbeddingFiles.Skipped})");
        if (training.Count < 2)
            throw new InputDataException($"{options.Training}: fewer than 2 readable training images; a self-similarity baseline needs at least 2");

        using var genFile = generated.OpenVectors();
        using var trainFile = training.OpenVectors();
        var similarity = options.Similarity ?? card.DefaultSimilarity(training.Chunks);
        similarity.Validate(training.RowLength);
        IVectorSource gen = genFile, train = trainFile;
        if (options.Whitening != WhiteningMode.None)
        {
            if (NonFiniteRows.Find(trainFile) is { Count: > 0 } bad)
                throw new InputDataException($"{NonFiniteRows.Describe(bad, trainFile.Description)}: a whitening cannot be fitted on them (images: {string.Join(", ", bad.Take(5).Select(r => training.Images[(int)r].Id))}); scan without whitening or remove them");
            if (Whitening.Refusal(options.Whitening, training.Count, training.RowLength, similarity.IsChunked) is { } why)
                throw new ParameterException("Whiten", Whitening.Name(options.Whitening), why);
            var whitening = Whitening.Fit(trainFile, options.Whitening);
            whitening.Save(training.Folder);
            gen = whitening.Wrap(genFile);
            train = whitening.Wrap(trainFile);
        }
        var matches = ExactSearch.Search(gen, train, similarity, Math.Min(options.TopK, training.Count), options.Device,
            progress: progress.Search?.Invoke("generated → training"), memoryBudgetBytes: options.SearchMemoryBytes, strict: options.Strict);
        var self = ExactSearch.Search(train, train, similarity, 1, options.Device, excludeSelf: true, progress.Search?.Invoke("training → training"), options.SearchMemoryBytes, options.Strict);
        var genTop = matches.TopScores();
        var selfTop = self.TopScores();
        var calibrated = ThresholdCalibration.Calibrate(selfTop, genTop);
        double nearDuplicates = selfTop.Length == 0 ? 0 : (double)selfTop.Count(v => v >= ThresholdChoice.NearDuplicate) / selfTop.Length;
        // the card's threshold holds on the card's own scale: its similarity, unwhitened
        var cardCalibration = options.Whitening == WhiteningMode.None && similarity == card.DefaultSimilarity(training.Chunks) ? card.Calibration : null;
        var threshold = ThresholdChoice.Choose(options.Threshold, similarity, calibrated, nearDuplicates, cardCalibration, training.Count);

        var result = new ScanResult(options, card.Name, similarity, generated, training, matches, self,
            ReplicationStatistics.Summarize(genTop, threshold.Value),
            ReplicationStatistics.Summarize(selfTop, threshold.Value),
            threshold, calibrated, ExactCopyScores.Of(similarity, train), options.Whitening)
        {
            InputWarnings = inputWarnings,
            ModelSha256 = card.Sha256,
            Preprocessing = Describe(card.Input),
            NonFiniteGenerated = matches.NonFiniteQueries.Select(r => generated.Images[(int)r].Id).ToList(),
            NonFiniteTraining = self.NonFiniteQueries.Select(r => training.Images[(int)r].Id).ToList(),
        };
        ScanReport.WriteAll(result);
        return result;
    }

    private static string Describe(InputSpec i) => FormattableString.Invariant(
        $"resize {i.Resize} {i.Interpolation}, centre crop {i.Size}, mean ({string.Join(", ", i.Mean)}), std ({string.Join(", ", i.Std)})");

    /// <summary>The checks that need only the options, the model card and the number of training files (null: not listed yet,
    /// the checks that need it wait).</summary>
    public static void Validate(ScanOptions options, ModelCard card, long? trainingImages)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(card);
        if (options.TopK <= 0) throw new ParameterException(nameof(options.TopK), options.TopK, "must be at least 1");
        int maxBatch = EmbeddingPipeline.MaxBatch(3 * card.Input.Size * card.Input.Size);
        if (options.BatchSize <= 0 || options.BatchSize > maxBatch)
            throw new ParameterException(nameof(options.BatchSize), options.BatchSize, $"must be from 1 to {maxBatch} for {card.Input.Size}² inputs (a batch is held twice; at most {EmbeddingPipeline.MaxBatchBytes >> 30} GiB)");
        bool tokens = card.Output.Kind == "tokens";
        if (options.Similarity is { } s)
        {
            // token rows are tokens × dim long; their length is known only after the first image
            if (!tokens) s.Validate(card.Dim);
            if (options.Threshold.Fixed is double t) s.ValidateThreshold(t);
        }
        else if (options.Threshold.Fixed is double t)
        {
            var guess = card.DefaultSimilarity(1);
            guess.ValidateThreshold(t);
        }
        bool chunked = tokens || (options.Similarity ?? card.DefaultSimilarity(1)).IsChunked;
        if (options.GalleryRows < 0) throw new ParameterException(nameof(options.GalleryRows), options.GalleryRows, "must be 0 or more");
        if (Whitening.Refusal(options.Whitening, trainingImages ?? long.MaxValue, card.Dim, chunked) is { } why)
            throw new ParameterException("Whiten", Whitening.Name(options.Whitening), why);
    }
}
