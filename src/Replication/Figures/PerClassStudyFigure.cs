using Replication.Core;
using Replication.Data.Diffusion;
using Replication.Embeddings;
using Replication.Analyses.PerClass;
using Replication.Analyses.Scanning;

namespace Replication.Figures;

/// <summary>
/// Notebook 03: the paper's Section 6 at CPU scale. A class-conditional pixel-space DDPM (standing in for the paper's ImageNet
/// latent diffusion model) trained on the 26 capital letters of the glyph set is sampled per class in C#; per class, the closest generation's
/// similarity to the class's training images is set against how alike those training images are (Figure 6 left, both axis
/// orders), with the pooled histograms (Figure 6 right), the extreme classes and the numbers in words.
/// </summary>
public sealed class PerClassStudyFigure : IFigure
{
    public sealed record Parameters
    {
        public string Denoiser { get; init; } = Repo("models", "per-class", "ddpm-glyphs-classes", "card.json");

        /// <summary>The labelled training manifest the denoiser was trained on (subsets --by-class writes it).</summary>
        public string Training { get; init; } = Repo("data", "glyphs", "classes-upper.csv");

        /// <summary>The extractor of the study: the toolkit's copy detector by default.</summary>
        public string Model { get; init; } = BuiltinModels.CopyDetectorName;

        /// <summary>A second extractor whose study is read beside the first (the pixel baseline by default); empty: none.</summary>
        public string Witness { get; init; } = BuiltinModels.PixelsName;
        public int PerClass { get; init; } = 64;
        public int Steps { get; init; } = 50;

        /// <summary>Classifier-free guidance scale (1: none; other values need a card with nullClass), or "card": the scale
        /// written on the card by the guidance command (1 where it has none).</summary>
        public string Guidance { get; init; } = "card";
        public int Seed { get; init; } = 0;
        public int SampleBatch { get; init; } = 32;
        public int Extremes { get; init; } = 3;

        /// <summary>model: the training images as the model saw them (its resolution, <see cref="Replication.Data.Datasets.ModelView"/>; our variant);
        /// original: the files as they are (the paper's comparison).</summary>
        public string TrainingView { get; init; } = "model";
        public string WorkFolder { get; init; } = RepositoryPaths.Output("03-per-class-study");

        public Parameters Validate()
        {
            if (!File.Exists(Denoiser)) throw new FigureParameterException(nameof(Denoiser), Denoiser, $"not found (the working folder is {Directory.GetCurrentDirectory()})");
            var card = DenoiserCard.Load(Denoiser);
            if (!card.Conditional) throw new FigureParameterException(nameof(Denoiser), Denoiser, "is not class-conditional (its card has no classInput)");
            if (!File.Exists(Training)) throw new FigureParameterException(nameof(Training), Training, "not found (the subsets command writes it with its by-class option)");
            if (TrainingSizeSweepFigure.TrainingManifestMismatch(Denoiser, Training) is { } why) throw new FigureParameterException(nameof(Training), Training, why);
            if (TrainingView is not ("model" or "original")) throw new FigureParameterException(nameof(TrainingView), TrainingView, "model or original");
            if (!BuiltinModels.IsBuiltin(Model) && !File.Exists(Model))
                throw new FigureParameterException(nameof(Model), Model, $"neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file");
            if (Witness.Length > 0 && !BuiltinModels.IsBuiltin(Witness) && !File.Exists(Witness))
                throw new FigureParameterException(nameof(Witness), Witness, $"neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file (empty: no witness)");
            if (PerClass < 1) throw new FigureParameterException(nameof(PerClass), PerClass, "must be at least 1");
            if (Steps < 1 || Steps > 1000) throw new FigureParameterException(nameof(Steps), Steps, "must be in 1..1000");
            double guidance = GuidanceScale(card);
            if (guidance != 1 && card.NullClass is null) throw new FigureParameterException(nameof(Guidance), Guidance, "needs a denoiser trained with a null class (nullClass on its card)");
            if (Seed < 0) throw new FigureParameterException(nameof(Seed), Seed, "must be 0 or more");
            if (SampleBatch < 1) throw new FigureParameterException(nameof(SampleBatch), SampleBatch, "must be at least 1");
            if (Extremes < 1) throw new FigureParameterException(nameof(Extremes), Extremes, "must be at least 1");
            return this;
        }

        /// <summary>The guidance scale this run samples at: <see cref="Guidance"/> as a number, or the card's.</summary>
        public double GuidanceScale(DenoiserCard card)
        {
            ArgumentNullException.ThrowIfNull(card);
            if (Guidance == "card") return card.Guidance ?? 1;
            return double.TryParse(Guidance, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double g) && double.IsFinite(g)
                ? g : throw new FigureParameterException(nameof(Guidance), Guidance, "must be a finite number or card (the scale on the denoiser's card)");
        }
    }

    public string Id => "03-per-class-study";
    public string Title => "Per-class replication in a class-conditional model (Section 6)";
    public object DefaultParameters => new Parameters();

    private static string Repo(params string[] parts) => Path.Combine([RepositoryPaths.Root() ?? ".", .. parts]);

    /// <summary>Draws <see cref="Parameters.PerClass"/> images for every class of the card (classes in turn); returns the labelled manifest.</summary>
    public static string Sample(Parameters p, IProgress<EmbeddingProgress>? progress = null)
    {
        p.Validate();
        var card = DenoiserCard.Load(p.Denoiser);
        double guidance = p.GuidanceScale(card);
        return SampleJob.Run(new SampleOptions
        {
            Denoiser = p.Denoiser, OutputFolder = GuidanceChoice.SampleFolder(p.WorkFolder, card, p.Steps, guidance, (ulong)p.Seed), Count = p.PerClass * card.Classes!.Length,
            BatchSize = p.SampleBatch, Seed = (ulong)p.Seed, Sampler = new SamplerSettings(SamplerKind.Ddim, p.Steps, 0, guidance),
        }, progress).Manifest;
    }

    public static ClassStudyResult Study(Parameters p, string generatedManifest, ScanProgress? progress = null) => Study(p, generatedManifest, p.Model, "", progress);

    /// <summary>The same study with <see cref="Parameters.Witness"/>; null when there is none.</summary>
    public static ClassStudyResult? Witness(Parameters p, string generatedManifest, ScanProgress? progress = null) =>
        p.Witness.Length == 0 ? null : Study(p, generatedManifest, p.Witness, "-witness", progress);

    private static ClassStudyResult Study(Parameters p, string generatedManifest, string model, string suffix, ScanProgress? progress)
    {
        string training = p.TrainingView == "model"
            ? Replication.Data.Datasets.ModelView.Write(p.Training, DenoiserCard.Load(p.Denoiser).ImageSize, Path.Combine(p.WorkFolder, "training-view"))
            : p.Training;
        return PerClassStudy.Run(new ClassStudyOptions
        {
            Generated = generatedManifest, Training = training, WorkFolder = Path.Combine(p.WorkFolder, "study", p.TrainingView + suffix), Model = model, Seed = (ulong)p.Seed,
        }, progress);
    }

    public static ChartBlock Scatter(ClassStudyResult r, bool swapped = false)
    {
        var spec = ClassCharts.ScatterSpec(r, swapped);
        return new ChartBlock(swapped ? "scatter-swapped" : "scatter", spec, Replication.Reporting.SvgLineChart.Render(spec));
    }

    public static ChartBlock Histograms(ClassStudyResult r) => new("histograms", ClassCharts.HistogramSpec(r), ClassCharts.HistogramSvg(r));

    public static TableBlock Table(ClassStudyResult r) => new("classes", ClassCharts.Table(r));

    public static HtmlBlock Extremes(ClassStudyResult r, int n) => new("extremes", ClassCharts.ExtremesHtml(r, n));

    /// <summary>The reading in words; with a witness, its reading follows under its own heading.</summary>
    public static HtmlBlock Reading(ClassStudyResult r, ClassStudyResult? witness = null) =>
        new("reading", "<pre class=\"rs-reading\" style=\"white-space: pre-wrap\">" + System.Net.WebUtility.HtmlEncode(ClassCharts.Reading(r) +
            (witness is null ? "" : $"\n\nWitness ({witness.ModelName}):\n" + ClassCharts.Reading(witness))) + "</pre>");

    public FigureOutput Run(object parameters)
    {
        var p = ((Parameters)parameters).Validate();
        string generated = Sample(p);
        var r = Study(p, generated);
        var witness = Witness(p, generated);
        return new FigureOutput(Id, Title, [Scatter(r), Scatter(r, swapped: true), Histograms(r), Table(r), Reading(r, witness), Extremes(r, p.Extremes)]);
    }
}
