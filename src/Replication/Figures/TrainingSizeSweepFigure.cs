using Replication.Reporting.Metrics;
using System.Text.Json;
using Replication.Core;
using Replication.Data.Diffusion;
using Replication.Embeddings;
using Replication.Analyses.Scanning;
using Replication.Analyses.Sweep;

namespace Replication.Figures;

/// <summary>
/// Notebook 02: the paper's Section 5 at CPU scale. DDPMs trained by models/ddpm/train_ddpm.py on nested subsets of font glyphs
/// (models/sweep: 16 to 4,096 images of data/glyphs) are sampled in C#, and each model's generations are compared with its own training set: per size, the
/// top-1 histograms against the training set's self-similarity (Figure 5), the statistics with one threshold per extractor,
/// the closest generations beside their matches (Figures 3, 4, 15), and the fraction of copies against training-set size.
/// </summary>
public sealed class TrainingSizeSweepFigure : IFigure
{
    /// <summary>The committed glyph models' training-set sizes (models/sweep/ddpm-glyphs-N).</summary>
    public static readonly int[] GlyphSizes = [16, 64, 256, 1024, 4096];

    /// <summary>The committed glyph model trained on <paramref name="size"/> images.</summary>
    public static string GlyphModel(int size) => Repo("models", "sweep", $"ddpm-glyphs-{size}", "card.json");

    public sealed record Parameters
    {
        /// <summary>Denoiser cards, comma-separated; each card's training record says how many images it was trained on.</summary>
        public string Denoisers { get; init; } = string.Join(",", GlyphSizes.Select(GlyphModel));

        /// <summary>Folder with subset-N.csv training manifests (the subsets command writes them).</summary>
        public string Subsets { get; init; } = Repo("data", "glyphs");

        /// <summary>Feature extractors, comma-separated: built-in names or model cards (DINO, SSCD cards when you have them).</summary>
        public string Models { get; init; } = $"{BuiltinModels.CopyDetectorName},{BuiltinModels.PixelsName},{BuiltinModels.ResNet18Name}";

        /// <summary>Real images of the domain held out of every training set (manifest or folder), the reference for sample
        /// quality (KID, top-1 of new real images against each training set); empty: no quality measures.</summary>
        public string Reference { get; init; } = Repo("data", "glyphs", "heldout-2048.csv");

        public int Count { get; init; } = 256;
        public int Steps { get; init; } = 50;
        public double Eta { get; init; } = 0;
        public int Seed { get; init; } = 0;
        public int SampleBatch { get; init; } = 32;

        /// <summary>
        /// model: compare with the training images as the model saw them (resized and centre-cropped to its resolution, see
        /// <see cref="Replication.Data.Datasets.ModelView"/>; our variant, so that 32×32 generations are not scored against full-size originals);
        /// original: with the training files as they are (the paper's comparison).
        /// </summary>
        public string TrainingView { get; init; } = "model";

        /// <summary>auto or training (the 1% point of the largest training set's self-similarity, per extractor; a model card's
        /// threshold calibrated on unrelated full-size images is not used for 32-pixel generations), paper (0.5) or a number.</summary>
        public string Threshold { get; init; } = "auto";
        public int GalleryRows { get; init; } = 20;
        public string WorkFolder { get; init; } = RepositoryPaths.Output("02-training-size-sweep");

        public IReadOnlyList<string> DenoiserList => Denoisers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        public IReadOnlyList<string> ModelList => Models.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        /// <summary><see cref="Threshold"/> parsed (auto, paper or a number).</summary>
        public ThresholdPolicy ThresholdPolicy => ThresholdPolicy.Parse(Threshold, nameof(Threshold));

        public Parameters Validate()
        {
            if (DenoiserList.Count == 0) throw new FigureParameterException(nameof(Denoisers), "give at least one denoiser card");
            foreach (var d in DenoiserList)
            {
                if (!File.Exists(d))
                    throw new FigureParameterException(nameof(Denoisers), d, $"not found (models/sweep/train.sh trains and exports the committed ones; the working folder is {Directory.GetCurrentDirectory()})");
                var manifest = TrainingManifest(d);
                if (!File.Exists(manifest))
                    throw new FigureParameterException(nameof(Subsets), Subsets, $"{Path.GetFileName(manifest)} not found there for {d} (the subsets command writes it)");
                if (TrainingManifestMismatch(d, manifest) is { } why) throw new FigureParameterException(nameof(Subsets), Subsets, why);
            }
            if (Reference.Length > 0 && !File.Exists(Reference) && !Directory.Exists(Reference))
                throw new FigureParameterException(nameof(Reference), Reference, $"not found (the working folder is {Directory.GetCurrentDirectory()})");
            if (ModelList.Count == 0) throw new FigureParameterException(nameof(Models), "give at least one feature extractor");
            foreach (var m in ModelList)
                if (!BuiltinModels.IsBuiltin(m) && !File.Exists(m))
                    throw new FigureParameterException(nameof(Models), Models, $"'{m}' is neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file");
            if (Count < 2) throw new FigureParameterException(nameof(Count), Count, "must be at least 2");
            if (Steps < 1 || Steps > 1000) throw new FigureParameterException(nameof(Steps), Steps, "must be in 1..1000");
            if (!(Eta >= 0 && Eta <= 1)) throw new FigureParameterException(nameof(Eta), Eta, "must be in [0, 1]");
            if (Seed < 0) throw new FigureParameterException(nameof(Seed), Seed, "must be 0 or more");
            if (SampleBatch < 1) throw new FigureParameterException(nameof(SampleBatch), SampleBatch, "must be at least 1");
            FigureParameterException.Threshold(nameof(Threshold), Threshold, -1, 1);
            if (GalleryRows < 1) throw new FigureParameterException(nameof(GalleryRows), GalleryRows, "must be at least 1");
            if (TrainingView is not ("model" or "original")) throw new FigureParameterException(nameof(TrainingView), TrainingView, "model or original");
            return this;
        }

        /// <summary>The training manifest of a denoiser: subset-N.csv for the N images its card says it was trained on.</summary>
        public string TrainingManifest(string card) => Path.Combine(Subsets, $"subset-{TrainingImages(card)}.csv");
    }

    public string Id => "02-training-size-sweep";
    public string Title => "Training-set size and replication (Section 5)";
    public object DefaultParameters => new Parameters();

    private static string Repo(params string[] parts) => Path.Combine([RepositoryPaths.Root() ?? ".", .. parts]);

    /// <summary>Why <paramref name="manifest"/> is not the training set the card records (its training.manifest_sha256), or null
    /// when it is or the card records none (a hand-written card): a model must never be measured against another training set.</summary>
    public static string? TrainingManifestMismatch(string cardPath, string manifest)
    {
        var card = DenoiserCard.Load(cardPath);
        if (card.Training is not { ValueKind: JsonValueKind.Object } t || !t.TryGetProperty("manifest_sha256", out var sha) || sha.GetString() is not { Length: > 0 } recorded)
            return null;
        string actual = Replication.Embeddings.EmbeddingFiles.Sha256Of(manifest);
        return string.Equals(actual, recorded, StringComparison.OrdinalIgnoreCase) ? null
            : $"{manifest} is not the training set of {cardPath} (its sha256 {actual[..12]}… differs from the card's training.manifest_sha256 {recorded[..Math.Min(12, recorded.Length)]}…): regenerated subsets? Use the manifest the model was trained on";
    }

    public static int TrainingImages(string cardPath)
    {
        var card = DenoiserCard.Load(cardPath);
        if (card.Training is not { } t || t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("images", out var n) || !n.TryGetInt32(out int images))
            throw new FigureParameterException(nameof(Parameters.Denoisers), cardPath, "the card has no training.images (cards exported by models/ddpm/train_ddpm.py have it)");
        return images;
    }

    /// <summary>Draws <see cref="Parameters.Count"/> images from every denoiser (resumable; reused on a rerun) and pairs them with their training sets.</summary>
    public static IReadOnlyList<SweepCase> Sample(Parameters p, IProgress<Replication.Embeddings.EmbeddingProgress>? progress = null)
    {
        p.Validate();
        var cases = new List<SweepCase>();
        foreach (var cardPath in p.DenoiserList)
        {
            var card = DenoiserCard.Load(cardPath);
            var folder = Path.Combine(p.WorkFolder, "samples", FormattableString.Invariant($"{card.Name}-{card.Sha256[..8]}-ddim{p.Steps}-eta{p.Eta}-seed{p.Seed}"));
            var result = SampleJob.Run(new SampleOptions
            {
                Denoiser = cardPath, OutputFolder = folder, Count = p.Count, BatchSize = p.SampleBatch, Seed = (ulong)p.Seed,
                Sampler = new SamplerSettings(SamplerKind.Ddim, p.Steps, p.Eta),
            }, progress);
            int n = TrainingImages(cardPath);
            string training = p.TrainingView == "model"
                ? Replication.Data.Datasets.ModelView.Write(p.TrainingManifest(cardPath), card.ImageSize, Path.Combine(p.WorkFolder, "training-view"))
                : p.TrainingManifest(cardPath);
            cases.Add(new SweepCase($"{n} training images", n, result.Manifest, training));
        }
        return cases;
    }

    public static SweepResult Sweep(Parameters p, IReadOnlyList<SweepCase> cases, ScanProgress? progress = null) =>
        TrainingSizeSweep.Run(new SweepOptions
        {
            Cases = cases, Models = p.ModelList, WorkFolder = Path.Combine(p.WorkFolder, "sweep"), Threshold = p.ThresholdPolicy, GalleryRows = p.GalleryRows,
            Reference = ReferenceView(p),
        }, progress);

    /// <summary>The reference images as the generations are compared: at the first denoiser's resolution when
    /// <see cref="Parameters.TrainingView"/> is model; null without a reference.</summary>
    public static string? ReferenceView(Parameters p)
    {
        if (p.Reference.Length == 0) return null;
        if (p.TrainingView != "model") return p.Reference;
        var card = DenoiserCard.Load(p.DenoiserList[0]);
        return Replication.Data.Datasets.ModelView.Write(p.Reference, card.ImageSize, Path.Combine(p.WorkFolder, "reference-view"));
    }

    public static ChartBlock FractionAbove(SweepResult r)
    {
        var spec = SweepCharts.FractionAboveSpec(r);
        return new ChartBlock("fraction-above", spec, Replication.Reporting.SvgLineChart.Render(spec));
    }

    public static ChartBlock Medians(SweepResult r)
    {
        var spec = SweepCharts.MediansSpec(r);
        return new ChartBlock("medians", spec, Replication.Reporting.SvgLineChart.Render(spec));
    }

    public static TableBlock Table(SweepResult r) => new("statistics", SweepCharts.Table(r));

    /// <summary>Figure 5: one overlaid histogram per training size, for one extractor (the first by default).</summary>
    public static IReadOnlyList<ChartBlock> Histograms(SweepResult r, string? model = null)
    {
        model ??= r.Rows[0].Model;
        return r.Of(model).Select(x => new ChartBlock($"histogram-{x.Case.TrainingSize}",
            ScanCharts.HistogramSpec(x.Scan) with { Title = $"{x.Case.Label}: top-1 similarity ({x.Model}, {x.Scan.Similarity})" },
            ScanCharts.HistogramSvg(x.Scan))).ToList();
    }

    /// <summary>Figures 3, 4 and 15: per size, the generations with the highest top-1 beside their closest training images.</summary>
    public static IReadOnlyList<HtmlBlock> Galleries(SweepResult r, int rows, string? model = null)
    {
        model ??= r.Rows[0].Model;
        return r.Of(model).Select(x => new HtmlBlock($"gallery-{x.Case.TrainingSize}",
            $"<h4>{System.Net.WebUtility.HtmlEncode(x.Case.Label)} ({System.Net.WebUtility.HtmlEncode(x.Model)})</h4>" + ScanReport.GalleryHtml(x.Scan, rows))).ToList();
    }

    public static HtmlBlock Reading(SweepResult r) =>
        new("reading", "<pre class=\"rs-reading\" style=\"white-space: pre-wrap\">" + System.Net.WebUtility.HtmlEncode(SweepCharts.Reading(r)) + "</pre>");

    public FigureOutput Run(object parameters)
    {
        var p = ((Parameters)parameters).Validate();
        var r = Sweep(p, Sample(p));
        return new FigureOutput(Id, Title, [FractionAbove(r), Medians(r), Table(r), Reading(r), .. Histograms(r), .. Galleries(r, p.GalleryRows)]);
    }
}
