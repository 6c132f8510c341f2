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
        if (o.BootstrapSamples < 1) throw new ParameterException(nameof(o.BootstrapSamples), o.BootstrapSamples, "must be at least 1");
        if (o.Permutations < 1) throw new ParameterException(nameof(o.Permutations), o.Permutations, "must be at least 1");
        if (o.MinimumTraining < 2) throw new ParameterException(nameof(o.MinimumTraining), o.MinimumTraining, "must be at least 2 (self-similarity needs a pair)");
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
        if (o.Classes is { } chosen)
        {
            if (chosen.FirstOrDefault(c => !trainByClass.ContainsKey(c)) is { } unknown)
                throw new ParameterException(nameof(o.Classes), unknown, $"is not a class of {o.Training} (its classes: {string.Join(", ", trainByClass.Keys.Order(StringComparer.Ordinal).Take(12))}{(trainByClass.Count > 12 ? ", …" : "")})");
            var keep = chosen.ToHashSet(StringComparer.Ordinal);
            foreach (var c in genByClass.Keys.Where(c => !keep.Contains(c)).ToList()) genByClass.Remove(c);
            foreach (var c in trainByClass.Keys.Where(c => !keep.Contains(c)).ToList()) trainByClass.Remove(c);
        }
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
                : t.Count < o.MinimumTraining ? $"{t.Count} training image{(t.Count == 1 ? "" : "s")}, fewer than the study's minimum of {o.MinimumTraining}" : null;
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
        double p = Correlation.PermutationP(x, y, o.Permutations, o.Seed);
        LinearFit? Fit(double[] a, double[] b) => a.Distinct().Count() >= 2 ? LinearFit.Fit(a, b) : null;

        // own class: each generation of a scored class against every training image of the scored classes
        var genRows = rows.SelectMany(c => genByClass[c.Class]).ToArray();
        var trainRows = rows.SelectMany(c => trainByClass[c.Class]).ToArray();
        var all = ExactSearch.Search(new RowSubset(gen, genRows), new RowSubset(train, trainRows), similarity, 1, o.Device);
        var own = new List<bool>(genRows.Length);
        var ownByClass = new Dictionary<string, (int Own, int Counted)>(StringComparer.Ordinal);
        for (int q = 0; q < all.Queries; q++)
        {
            long idx = all.IndicesOf(q)[0];
            if (idx < 0) continue;
            var c = ClassNames.Of(generated.Images[(int)genRows[q]])!;
            bool same = c == ClassNames.Of(training.Images[(int)trainRows[idx]]);
            own.Add(same);
            var (o1, n1) = ownByClass.GetValueOrDefault(c);
            ownByClass[c] = (o1 + (same ? 1 : 0), n1 + 1);
        }
        rows = rows.Select(c => ownByClass.TryGetValue(c.Class, out var t) ? c with { OwnClassRate = (double)t.Own / t.Counted } : c).ToList();
        double chance = rows.Sum(c => (double)c.Generated / genRows.Length * c.Training / trainRows.Length);
        var threshold = ThresholdCalibration.Calibrate(pooledTrain.ToArray(), pooledGen.ToArray(), [ThresholdPolicy.CalibrationExceedance])[0];
        return new ClassStudyResult(o, extractor.Card.Name, similarity, rows, excluded, (r, low, high), p, Correlation.LeaveOneOut(x, y), Fit(x, y), Fit(y, x),
            pooledGen.ToArray(), pooledTrain.ToArray(), Proportion.Estimate(own, o.BootstrapSamples, o.Seed), chance, threshold);
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
