using Replication.Core;
using Replication.Embeddings;
using Replication.Images;
using Replication.Reporting.Metrics;
using Replication.Analyses.Scanning;
using Replication.Core.Vectors;

namespace Replication.Analyses.Sweep;

/// <summary>
/// The paper's Section 5 analysis over several (training set, generations) pairs: for each extractor, the largest training
/// set is embedded once and every smaller (nested) set takes its rows (<see cref="EmbeddingSubset"/>); each pair is then
/// scanned as <c>scan</c> does (top-k matches, self-similarity baseline, statistics, report) with one threshold per extractor,
/// and the Fréchet distance between generated and training features is added.
/// </summary>
public static class TrainingSizeSweep
{
    /// <summary>Feature vectors longer than this get no Fréchet distance (a d×d covariance would not be meaningful or cheap).</summary>
    public const int MaxFrechetDimension = 4096;

    public static SweepResult Run(SweepOptions options, ScanProgress? progress = null)
    {
        Validate(options);
        progress ??= new ScanProgress();
        var cases = options.Cases.OrderByDescending(c => c.TrainingSize).ToList();
        var largest = cases[0];
        // each input is listed once (a manifest's warnings are printed once, not once per model)
        var trainingImages = cases.ToDictionary(c => c.Label, c => ImageCollection.Open(c.Training));
        var generatedImages = cases.ToDictionary(c => c.Label, c => ImageCollection.Open(c.Generated));
        var largestImages = trainingImages[largest.Label];
        var rows = new List<SweepRow>();
        var baselines = new Dictionary<string, KernelDistanceEstimate>();
        foreach (var model in options.Models)
        {
            using var extractor = FeatureExtractor.Open(model, options.Device);
            extractor.Alpha = options.Alpha;
            string key = SafeName(Path.GetFileNameWithoutExtension(extractor.Card.Name));
            string embeddings = Path.Combine(options.WorkFolder, "embeddings", key);
            var trainAll = EmbeddingJob.Run(largestImages, extractor, Path.Combine(embeddings, $"training-{SafeName(largest.Label)}"), options.BatchSize,
                progress: progress.Embedding?.Invoke($"{key}: embedding training ({largest.Label})"));
            // a sweep's auto is the training calibration: small models' generations are far from the images a card's threshold was
            // calibrated on (the copy detector's: held-out clip art at full size), and Section 5 compares sizes on one scale
            var threshold = options.Threshold.Rule == ThresholdRule.Calibrated ? ThresholdPolicy.Training : options.Threshold;
            var reference = options.Reference is null ? null
                : EmbeddingJob.Run(ImageCollection.Open(options.Reference), extractor, Path.Combine(embeddings, "reference"), options.BatchSize,
                    progress: progress.Embedding?.Invoke($"{key}: embedding held-out reference images"));
            var modelRows = new List<SweepRow>();
            foreach (var c in cases)
            {
                var training = c == largest ? trainAll
                    : EmbeddingSubset.Write(trainAll, trainingImages[c.Label], Path.Combine(embeddings, $"training-{SafeName(c.Label)}"));
                var generated = EmbeddingJob.Run(generatedImages[c.Label], extractor, Path.Combine(embeddings, $"generated-{SafeName(c.Label)}"),
                    options.BatchSize, progress: progress.Embedding?.Invoke($"{key}: embedding generated ({c.Label})"));
                var scanOptions = new ScanOptions
                {
                    Generated = c.Generated, Training = c.Training, OutputFolder = Path.Combine(options.WorkFolder, "scans", key, SafeName(c.Label)),
                    Model = model, Device = options.Device, Threshold = threshold, TopK = options.TopK, GalleryRows = options.GalleryRows,
                    BatchSize = options.BatchSize, Alpha = options.Alpha,
                };
                var scan = ReplicationScan.Analyze(scanOptions, extractor.Card, generated, training, [], progress);
                if (threshold.IsCalibrated && double.IsFinite(scan.Threshold.Value))
                    threshold = ThresholdPolicy.Given(scan.Threshold.Value); // the largest set's choice holds for the smaller ones
                SweepQuality? quality = null;
                if (reference is not null)
                {
                    var referenceScan = ReplicationScan.Analyze(scanOptions with
                    {
                        Generated = options.Reference!, OutputFolder = Path.Combine(options.WorkFolder, "scans", key, SafeName(c.Label) + "-reference"),
                        Threshold = double.IsFinite(scan.Threshold.Value) ? ThresholdPolicy.Given(scan.Threshold.Value) : threshold,
                    }, extractor.Card, reference, training, [], progress);
                    if (reference.Count < 2)
                        throw new InputDataException($"reference images {options.Reference}: {reference.Count} could be embedded; the quality measures need at least 2");
                    quality = new SweepQuality(Kid(generated, reference, options), Frechet(generated, reference), referenceScan);
                }
                var copies = Copies(scan, options.BootstrapSamples);
                modelRows.Add(new SweepRow(extractor.Card.Name, c, scan, Frechet(generated, training), quality, copies));
            }
            rows.AddRange(modelRows.OrderBy(r => r.Case.TrainingSize));
            if (reference is not null)
                baselines[extractor.Card.Name] = RealBaseline(reference, modelRows.Min(r => r.Scan.Generated.Count), options);
        }
        return new SweepResult(options, rows, baselines);
    }

    public static void Validate(SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Cases.Count == 0) throw new UsageException("a sweep needs at least one case");
        if (options.Models.Count == 0) throw new UsageException("a sweep needs at least one model");
        foreach (var dup in options.Cases.GroupBy(c => SafeName(c.Label)).Where(g => g.Count() > 1))
            throw new UsageException($"case labels {string.Join(" and ", dup.Select(c => $"'{c.Label}'"))} name the same folder ('{dup.Key}')");
        foreach (var c in options.Cases)
        {
            if (c.TrainingSize < 1) throw new UsageException($"case '{c.Label}': training size must be ≥ 1");
            foreach (var path in new[] { c.Generated, c.Training })
                if (!File.Exists(path) && !Directory.Exists(path))
                    throw new InputMissingException($"case '{c.Label}': {path} does not exist", path);
        }
        ArgumentNullException.ThrowIfNull(options.Threshold);
        if (options.Threshold.Fixed is double t && !(t >= -1 && t <= 1)) throw new ParameterException("Threshold", t, "must lie in [-1, 1]");
        if (options.Reference is { } reference && !File.Exists(reference) && !Directory.Exists(reference))
            throw new InputMissingException($"reference images: {reference} does not exist", reference);
        if (options.KidSubsets < 1) throw new UsageException($"KID subsets {options.KidSubsets}: must be at least 1");
        if (options.KidSubsetSize < 2) throw new UsageException($"KID subset size {options.KidSubsetSize}: must be at least 2");
        if (options.BootstrapSamples < 1) throw new UsageException($"bootstrap samples {options.BootstrapSamples}: must be at least 1");
    }

    /// <summary>The generations above the scan's threshold among those with a match (as the scan's fraction counts them), with
    /// a bootstrap interval; NaN throughout when the scan has no threshold.</summary>
    private static Proportion Copies(ScanResult scan, int samples)
    {
        if (!double.IsFinite(scan.Threshold.Value)) return new Proportion(0, 0, double.NaN, double.NaN, double.NaN);
        var finite = scan.Matches.TopScores().Where(float.IsFinite).Select(v => v > scan.Threshold.Value).ToList();
        return Proportion.Estimate(finite, samples);
    }

    private static KernelDistanceEstimate Kid(EmbeddingFolder generated, EmbeddingFolder reference, SweepOptions options)
    {
        using var g = generated.OpenVectors();
        using var r = reference.OpenVectors();
        return KernelDistance.Estimate(g, r, options.KidSubsets, options.KidSubsetSize);
    }

    /// <summary>KID between two disjoint halves of the reference images (a seeded random split, so that a manifest sorted by
    /// class gives halves alike), with subsets no larger than the generations were measured with (smaller when half the
    /// reference is smaller; the estimate reports its subset size): what two sets of real images of the domain score.</summary>
    private static KernelDistanceEstimate RealBaseline(EmbeddingFolder reference, int generatedCount, SweepOptions options)
    {
        using var all = reference.OpenVectors();
        int half = (int)(all.Rows / 2);
        if (half < 2) return new KernelDistanceEstimate(double.NaN, double.NaN, 0, 0);
        int d = all.Columns;
        var rows = new float[checked((int)all.Rows * d)];
        all.ReadRows(0, (int)all.Rows, rows);
        var order = SeededPermutation.Create((int)all.Rows, 0);
        var first = new float[half * d];
        var second = new float[half * d];
        for (int i = 0; i < half; i++)
        {
            rows.AsSpan(order[i] * d, d).CopyTo(first.AsSpan(i * d, d));
            rows.AsSpan(order[half + i] * d, d).CopyTo(second.AsSpan(i * d, d));
        }
        return KernelDistance.Estimate(new InMemoryVectors(first, d), new InMemoryVectors(second, d), options.KidSubsets,
            Math.Min(options.KidSubsetSize, generatedCount));
    }

    /// <summary>NaN when either set has no more vectors than dimensions: its covariance is then rank-deficient and the estimate's
    /// bias depends on the set size, so values would not be comparable across training sizes.</summary>
    private static double Frechet(EmbeddingFolder generated, EmbeddingFolder training)
    {
        if (generated.RowLength > MaxFrechetDimension || generated.Count <= generated.RowLength || training.Count <= training.RowLength) return double.NaN;
        using var g = generated.OpenVectors();
        using var t = training.OpenVectors();
        return FrechetDistance.Compute(g, t);
    }

    private static string SafeName(string name) =>
        string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
}
