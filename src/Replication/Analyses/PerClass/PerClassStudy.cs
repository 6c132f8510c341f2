using Replication.Embeddings;
using Replication.Images;
using Replication.Reporting.Metrics;
using Replication.Analyses.Scanning;
using Replication.Core.Vectors;
using Replication.Search;
using Replication.Data.Datasets;

namespace Replication.Analyses.PerClass;

/// <summary>
/// The paper's Section 6: per class, how close the class's generations come to its training images (search restricted to the
/// class) against how alike the class's training images are among themselves; Pearson r with a bootstrap interval, both
/// least-squares fits, the pooled histograms, and a search over all classes for comparison. Classes that cannot be scored are
/// listed with the reason; the study runs on the others.
/// </summary>
public static class PerClassStudy
{
    public static ClassStudyResult Run(ClassStudyOptions o, ScanProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.BootstrapSamples < 1) throw new UsageException($"bootstrap samples must be ≥ 1, not {o.BootstrapSamples}");
        progress ??= new ScanProgress();
        var names = o.ClassNames is null ? null : ClassNames.ReadSynsetMapping(o.ClassNames);
        var generatedImages = ImageCollection.Open(o.Generated);
        var trainingImages = ImageCollection.Open(o.Training);
        foreach (var (set, images) in new[] { (o.Generated, generatedImages), (o.Training, trainingImages) })
            if (images.FirstOrDefault(r => r.Refused is null && ClassNames.Of(r) is null) is { } unlabelled)
                throw new InputDataException($"{set}: {unlabelled.Id} has no class (give a manifest with a label column, or class sub-folders)");
        using var extractor = FeatureExtractor.Open(o.Model, o.Device);
        extractor.Alpha = o.Alpha;
        var generated = EmbeddingJob.Run(generatedImages, extractor, Path.Combine(o.WorkFolder, "generated"), o.BatchSize, progress: progress.Embedding?.Invoke("embedding generated"));
        var training = EmbeddingJob.Run(trainingImages, extractor, Path.Combine(o.WorkFolder, "training"), o.BatchSize, progress: progress.Embedding?.Invoke("embedding training"));
        var similarity = o.Similarity ?? extractor.Card.DefaultSimilarity(training.Chunks);
        similarity.Validate(training.RowLength);
        using var gen = generated.OpenVectors();
        using var train = training.OpenVectors();

        var genByClass = RowsByClass(generated);
        var trainByClass = RowsByClass(training);
        var rows = new List<ClassRow>();
        var excluded = new List<(string, string)>();
        var pooledGen = new List<float>();
        var pooledTrain = new List<float>();
        foreach (var c in genByClass.Keys.Union(trainByClass.Keys).Order(StringComparer.Ordinal))
        {
            var g = genByClass.GetValueOrDefault(c) ?? [];
            var t = trainByClass.GetValueOrDefault(c) ?? [];
            string? why = g.Count == 0 ? "no generations"
                : t.Count == 0 ? "not a training class (no training images)"
                : t.Count < 2 ? "1 training image: no self-similarity" : null;
            if (why is not null) { excluded.Add((c, why)); continue; }
            var gs = new RowSubset(gen, g);
            var ts = new RowSubset(train, t);
            var matches = ExactSearch.Search(gs, ts, similarity, 1, o.Device);
            var self = ExactSearch.Search(ts, ts, similarity, 1, o.Device, excludeSelf: true);
            var genTop = matches.TopScores();
            var selfTop = self.TopScores();
            var finiteGen = genTop.Where(float.IsFinite).ToArray();
            var finiteSelf = selfTop.Where(float.IsFinite).ToArray();
            if (finiteGen.Length == 0 || finiteSelf.Length == 0) { excluded.Add((c, "no finite scores (NaN or infinite embeddings)")); continue; }
            pooledGen.AddRange(finiteGen);
            pooledTrain.AddRange(finiteSelf);
            int best = Array.IndexOf(genTop, finiteGen.Max());
            rows.Add(new ClassRow(c, names?.GetValueOrDefault(c) ?? c, g.Count, t.Count, finiteGen.Max(), finiteGen.Average(), finiteSelf.Average(),
                generated.Images[(int)g[best]], training.Images[(int)t[(int)matches.IndicesOf(best)[0]]]));
        }
        if (rows.Count == 0)
            throw new InputDataException($"no class can be scored ({string.Join("; ", excluded.Take(5).Select(e => $"{e.Item1}: {e.Item2}"))})");

        var x = rows.Select(r => r.MaxGeneratedTop1).ToArray();
        var y = rows.Select(r => r.MeanTrainingSelfTop1).ToArray();
        double r = Correlation.Pearson(x, y);
        var (low, high) = Correlation.BootstrapInterval(x, y, o.BootstrapSamples, o.Seed);
        LinearFit? Fit(double[] a, double[] b) => a.Distinct().Count() >= 2 ? LinearFit.Fit(a, b) : null;

        // for comparison: each generation against every training image, whatever its class
        var all = ExactSearch.Search(gen, train, similarity, 1, o.Device);
        int own = 0, counted = 0;
        for (int q = 0; q < all.Queries; q++)
        {
            long idx = all.IndicesOf(q)[0];
            if (idx < 0) continue;
            counted++;
            if (ClassNames.Of(generated.Images[q]) == ClassNames.Of(training.Images[(int)idx])) own++;
        }
        var threshold = ThresholdCalibration.Calibrate(pooledTrain.ToArray(), pooledGen.ToArray(), [ThresholdPolicy.CalibrationExceedance])[0];
        return new ClassStudyResult(o, extractor.Card.Name, similarity, rows, excluded, (r, low, high), Fit(x, y), Fit(y, x),
            pooledGen.ToArray(), pooledTrain.ToArray(), counted == 0 ? double.NaN : (double)own / counted, threshold);
    }

    private static Dictionary<string, List<long>> RowsByClass(EmbeddingFolder folder)
    {
        var map = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        for (int i = 0; i < folder.Images.Count; i++)
        {
            var c = ClassNames.Of(folder.Images[i]) ?? throw new InputDataException($"{folder.Folder}: {folder.Images[i].Id} has no class");
            if (!map.TryGetValue(c, out var list)) map[c] = list = [];
            list.Add(i);
        }
        return map;
    }
}
