using System.Globalization;
using System.Text;
using Replication.Analyses.Scanning;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Data.Datasets;
using Replication.Data.Diffusion;
using Replication.Data.Generations;
using Replication.Embeddings;
using Replication.Embeddings.Store;
using Replication.Embeddings.WebDataset;
using Replication.Images;
using Replication.Reporting.Metrics;
using Replication.Search;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// Duplication → replication with real generations (issue 19; the paper's Section 7 finding, Figure 11): a denoiser trained on a
/// set in which chosen images appear 4×, 16×, 64× … draws <see cref="DuplicationStudyOptions.Generations"/> images in C#; the
/// training rows become a store (webdataset shards, captions naming the base image), the generations are studied against it by
/// the case-study pipeline (<see cref="CaseStudyRun"/>: top-1, source and match images, duplicate counts by count-above), and
/// the replication rate is read per duplication level (<see cref="DuplicationRates"/>). An unconditional model has no prompt:
/// each generation's "source" is a training row drawn uniformly (the paper's caption sources are such draws), its prompt column
/// says "unconditional". Every stage is persisted under the work folder and reused on a rerun.
/// </summary>
public static class DuplicationStudy
{
    public const string UnconditionalPrompt = "unconditional";

    public static DuplicationStudyResult Run(DuplicationStudyOptions o, ScanProgress? progress = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Generations < 1) throw new ParameterException(nameof(o.Generations), o.Generations, "must be at least 1");
        if (o.SamplesPerShard < 1) throw new ParameterException(nameof(o.SamplesPerShard), o.SamplesPerShard, "must be at least 1");
        progress ??= new ScanProgress();
        log ??= _ => { };
        var card = DenoiserCard.Load(o.Denoiser);
        if (card.Conditional) throw new ParameterException(nameof(o.Denoiser), o.Denoiser, "is class-conditional; the duplication study draws from an unconditional denoiser");
        string copiesPath = CopiesTable(o.Training);
        var copies = DuplicatedTrainingSet.ReadCopies(copiesPath);
        var training = ImageCollection.FromManifest(o.Training);
        if (training.FirstOrDefault(r => r.Caption is null || !copies.ContainsKey(r.Caption)) is { } stray)
            throw new InputDataException($"{o.Training}: row {stray.Id} has caption '{stray.Caption}', which is not an image of {copiesPath} (write the set with the duplicate command)");

        // 1. generations, drawn in C#
        var sampled = SampleJob.Run(new SampleOptions
        {
            Denoiser = o.Denoiser, Count = o.Generations, BatchSize = o.SampleBatch, Seed = o.Seed, Sampler = new SamplerSettings(SamplerKind.Ddim, o.Steps, 0, 1),
            OutputFolder = Path.Combine(o.WorkFolder, "samples", FormattableString.Invariant($"{card.Name}-{card.Sha256[..8]}-ddim{o.Steps}-seed{o.Seed}")),
        }, progress.Embedding?.Invoke("sampling"));

        // 2. the training rows as a store (views at the model's resolution: what the model saw), embedded with the extractor
        string view = ModelView.Write(o.Training, card.ImageSize, Path.Combine(o.WorkFolder, "training-view"));
        var viewed = ImageCollection.FromManifest(view);
        // the view manifest keeps ids and labels; the captions (the base image each row copies) come from the training rows
        var captionOf = training.ToDictionary(r => r.Id, r => r.Caption, StringComparer.Ordinal);
        viewed = viewed.Select(r => r with { Caption = captionOf[r.Id] }).ToList();
        string shards = WebDatasetPacker.PackOnce(viewed, Path.Combine(o.WorkFolder, "shards", EmbeddingFiles.Sha256Of(view)[..12] + FormattableString.Invariant($"-{o.SamplesPerShard}")), o.SamplesPerShard);
        string modelTag = Path.GetFileNameWithoutExtension(o.Model);
        string store = Path.Combine(o.WorkFolder, "store", Path.GetFileName(shards) + "-" + modelTag);
        using var extractor = FeatureExtractor.Open(o.Model);
        var stored = StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, ShardSelection.All, o.Batch);
        if (stored.Manifest is null) throw new InputDataException($"{store}: the store is not complete after embedding every shard");

        // 3. the generations' manifest: each with a uniformly drawn training row as its source
        string generations = Path.Combine(sampled.Folder, "generations.csv");
        var sources = PromptSampler.Sample(TrainingCaptions.FromStore(store), o.Generations, o.Seed);
        var lines = new StringBuilder(string.Join(",", GeneratedManifest.Columns) + "\n");
        for (int i = 0; i < o.Generations; i++)
            lines.Append(CsvTable.Line(Path.GetFileName(SampleJob.ImagePath(sampled.Folder, i)), UnconditionalPrompt, sources[i].SourceKey, i)).Append('\n');
        AtomicFile.WriteAllText(generations, lines.ToString());
        string embedded = Path.Combine(o.WorkFolder, "embeddings", Path.GetFileName(sampled.Folder) + "-" + modelTag);
        EmbeddingJob.Run(ImageCollection.FromManifest(generations), extractor, embedded, o.Batch, progress: progress.Embedding?.Invoke("embedding generations"));

        // 4. the threshold: calibrated on the base set (each image once), as the duplicated set's own top-1 is 1 for every copy
        var choice = ChooseThreshold(o, extractor, card.ImageSize, progress);
        if (!double.IsFinite(choice.Value)) throw new ParameterException(nameof(o.Threshold), o.Threshold.ToString(), choice.Reason + "; give a number");
        log($"threshold {choice.Value.ToString(CultureInfo.InvariantCulture)}: {choice.Reason}");
        var settings = new CaseStudySettings(extractor.Card.DefaultSimilarity(1), choice.Value, o.DuplicateThreshold, BootstrapSamples: o.BootstrapSamples, Seed: o.Seed);
        var study = CaseStudyRun.Run(store, generations, embedded, Path.Combine(o.WorkFolder, "study", Path.GetFileName(embedded)), settings, log);
        var levels = DuplicationRates.Compute(study.Rows, copies, choice.Value, o.BootstrapSamples, o.Seed);
        return new DuplicationStudyResult(o, study, levels, choice, generations, store);
    }

    /// <summary>The copies table beside a duplicated manifest (<c>NAME-copies.csv</c>).</summary>
    public static string CopiesTable(string manifest)
    {
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifest))!, Path.GetFileNameWithoutExtension(manifest) + DuplicatedTrainingSet.CopiesSuffix);
        return File.Exists(path) ? path : throw new InputMissingException($"{manifest}: no copies table beside it ({path}; the duplicate command writes both)", path);
    }

    private static ThresholdChoice ChooseThreshold(DuplicationStudyOptions o, FeatureExtractor extractor, int size, ScanProgress progress)
    {
        var similarity = extractor.Card.DefaultSimilarity(1);
        // auto is the base set's calibration here, never a card's: 32-pixel generations are unlike the images a card was calibrated on
        if (!o.Threshold.IsCalibrated)
            return ThresholdChoice.Choose(o.Threshold, similarity, []);
        string baseView = ModelView.Write(o.Base, size, Path.Combine(o.WorkFolder, "base-view"));
        var folder = EmbeddingJob.Run(ImageCollection.FromManifest(baseView), extractor, Path.Combine(o.WorkFolder, "base-" + Path.GetFileNameWithoutExtension(o.Model)),
            o.Batch, progress: progress.Embedding?.Invoke("embedding the base set"));
        using var vectors = folder.OpenVectors();
        var self = ExactSearch.Search(vectors, vectors, similarity, 1, excludeSelf: true).TopScores().Where(float.IsFinite).ToArray();
        // only the threshold is used here; the base set's own scores also stand in for the generated side, which the calibration
        // needs to be non-empty (with none it reports the point as not estimable)
        var calibrated = ThresholdCalibration.Calibrate(self, self, [ThresholdPolicy.CalibrationExceedance]);
        double share = self.Length == 0 ? 0 : self.Count(v => v >= ThresholdChoice.NearDuplicate) / (double)self.Length;
        var choice = ThresholdChoice.Choose(o.Threshold, similarity, calibrated, share);
        return choice with { Reason = choice.Reason.Replace("the training set", "the base set (each image once; the duplicated set's copies would score 1)", StringComparison.Ordinal) };
    }
}
