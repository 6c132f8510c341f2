using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using Replication.Analyses.CaseStudy;
using Replication.Analyses.Scanning;
using Replication.Core.Cluster;
using Replication.Core;
using Replication.Embeddings;
using Replication.Data.Generations;
using Replication.Images;
using Replication.Reporting.Metrics;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Embeddings.WebDataset;

namespace Replication.Figures;

/// <summary>
/// Notebook 04: the paper's Section 7 (Stable Diffusion against LAION) at CPU scale and offline. Openclipart images with captions
/// from their titles are packed into webdataset shards and embedded into a sharded store; prompts are drawn from the captions with
/// replacement; no text-to-image model runs here, so the "generations" are labelled stand-ins: planted copies of training images
/// (lightly cropped and mirrored) and novel images never in the training set, in known proportions, plus key-phrase variants of
/// one prompt whose base form is planted more often. Every Section 7 analysis runs on them, the truth is set beside the findings,
/// and the search runs once more through Slurm job arrays when a cluster is reachable.
/// </summary>
public sealed class CaseStudyFigure : IFigure
{
    public sealed record Parameters
    {
        /// <summary>The image pool (PNG files under it, sorted by path): training and held-out images are drawn from it, disjoint.</summary>
        public string Images { get; init; } = "/usr/share/openclipart/png";
        public int Training { get; init; } = 2000;
        public int HeldOut { get; init; } = 300;
        public int SamplesPerShard { get; init; } = 250;
        public string Model { get; init; } = BuiltinModels.CopyDetectorName;

        /// <summary>Prompts drawn with replacement from the training captions (the paper: 9,000), one stand-in each.</summary>
        public int Prompts { get; init; } = 400;

        /// <summary>The probability that a prompt's stand-in is a planted copy of a (random) training image.</summary>
        public double Planted { get; init; } = 0.05;

        /// <summary>Key-phrase variants: a training caption with the paper's phrase "Canvas Wall Art Print" appended is the base;
        /// its stand-ins are planted copies of that caption's image with this probability, those of the variant without the phrase
        /// with <see cref="Planted"/>.</summary>
        public double KeyPhrasePlanted { get; init; } = 0.4;
        public int PerVariant { get; init; } = 25;

        /// <summary>auto (the default): the model card's threshold calibrated on unrelated pairs (the copy detector's 0.513), else the 1%
        /// point of the training images' own top-1 similarity (falling back to the paper's 0.5 when it flags only exact copies, as the
        /// pool's many exact duplicates make it do); training: that 1% point even when the card has a threshold; paper (0.5) or a number.</summary>
        public string Threshold { get; init; } = "auto";
        public double DuplicateThreshold { get; init; } = CaseStudySettings.DefaultDuplicateThreshold;
        public int Seed { get; init; } = 0;
        public int Batch { get; init; } = 16;

        /// <summary>auto: run the generations' search through Slurm when a cluster is reachable; off: never.</summary>
        public string Slurm { get; init; } = "auto";
        public int SlurmTasks { get; init; } = 2;
        public int GalleryRows { get; init; } = 12;
        public string WorkFolder { get; init; } = RepositoryPaths.Output("04-stable-diffusion-case-study");

        /// <summary>The duplication study (the notebook's lead): an unconditional denoiser trained on a set whose chosen images appear
        /// 4, 16 and 64 times (models/duplication); empty: no duplication study.</summary>
        public string Duplication { get; init; } = Repo("models", "duplication", "ddpm-glyphs-duplicated", "card.json");

        /// <summary>The duplicated training manifest the denoiser was trained on (with NAME-copies.csv beside it).</summary>
        public string DuplicationTraining { get; init; } = Repo("data", "glyphs", "duplicated-4096.csv");

        /// <summary>The base set, each image once: the threshold is calibrated on it.</summary>
        public string DuplicationBase { get; init; } = Repo("data", "glyphs", "subset-4096.csv");

        /// <summary>Generations drawn in C# from the duplication denoiser.</summary>
        public int Generations { get; init; } = 512;
        public int DuplicationSteps { get; init; } = 50;

        /// <summary>Extractors of the duplication study, comma-separated: the copy detector first, pixels as the witness.</summary>
        public string DuplicationModels { get; init; } = $"{BuiltinModels.CopyDetectorName},{BuiltinModels.PixelsName}";

        public IReadOnlyList<string> DuplicationModelList => DuplicationModels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        /// <summary><see cref="Threshold"/> parsed (auto, paper or a number).</summary>
        public ThresholdPolicy ThresholdPolicy => ThresholdPolicy.Parse(Threshold, nameof(Threshold));

        /// <summary>The given or paper value; null for auto.</summary>
        public double? ThresholdValue => ThresholdPolicy.Fixed;

        /// <summary>The model card's threshold calibrated on unrelated pairs, which auto applies (null: none, or not auto).</summary>
        public CardCalibration? CardThreshold => ThresholdPolicy.Rule == ThresholdRule.Calibrated && FeatureExtractor.CardOf(Model) is { } card
            && card.DefaultSimilarity(1) == Similarity.InnerProduct ? card.Calibration : null; // the study scores by inner product

        public Parameters Validate()
        {
            if (!Directory.Exists(Images)) throw new FigureParameterException(nameof(Images), Images, "not found (apt-get install openclipart-png, or give a folder of images)");
            if (Training < 10) throw new FigureParameterException(nameof(Training), Training, "must be at least 10");
            if (HeldOut < 1) throw new FigureParameterException(nameof(HeldOut), HeldOut, "must be at least 1");
            if (SamplesPerShard < 1) throw new FigureParameterException(nameof(SamplesPerShard), SamplesPerShard, "must be at least 1");
            if (!BuiltinModels.IsBuiltin(Model) && !File.Exists(Model))
                throw new FigureParameterException(nameof(Model), Model, $"neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file");
            if (Prompts < 1) throw new FigureParameterException(nameof(Prompts), Prompts, "must be at least 1");
            if (!(Planted >= 0 && Planted <= 1)) throw new FigureParameterException(nameof(Planted), Planted, "a probability in [0, 1]");
            if (!(KeyPhrasePlanted >= 0 && KeyPhrasePlanted <= 1)) throw new FigureParameterException(nameof(KeyPhrasePlanted), KeyPhrasePlanted, "a probability in [0, 1]");
            if (PerVariant < 1) throw new FigureParameterException(nameof(PerVariant), PerVariant, "must be at least 1");
            FigureParameterException.Threshold(nameof(Threshold), Threshold, -1, 1);
            if (!double.IsFinite(DuplicateThreshold)) throw new FigureParameterException(nameof(DuplicateThreshold), DuplicateThreshold, "must be a number");
            if (Seed < 0) throw new FigureParameterException(nameof(Seed), Seed, "must be 0 or more");
            if (Batch < 1) throw new FigureParameterException(nameof(Batch), Batch, "must be at least 1");
            if (Slurm is not ("auto" or "off")) throw new FigureParameterException(nameof(Slurm), Slurm, "auto or off");
            if (SlurmTasks < 1) throw new FigureParameterException(nameof(SlurmTasks), SlurmTasks, "must be at least 1");
            if (GalleryRows < 1) throw new FigureParameterException(nameof(GalleryRows), GalleryRows, "must be at least 1");
            if (Duplication.Length > 0)
            {
                if (!File.Exists(Duplication)) throw new FigureParameterException(nameof(Duplication), Duplication, $"not found (models/duplication/train.sh trains and exports it; empty skips the duplication study; the working folder is {Directory.GetCurrentDirectory()})");
                if (!File.Exists(DuplicationTraining)) throw new FigureParameterException(nameof(DuplicationTraining), DuplicationTraining, "not found (the duplicate command writes it)");
                if (!File.Exists(DuplicationBase)) throw new FigureParameterException(nameof(DuplicationBase), DuplicationBase, "not found");
                if (Generations < 1) throw new FigureParameterException(nameof(Generations), Generations, "must be at least 1");
                if (DuplicationSteps < 1 || DuplicationSteps > 1000) throw new FigureParameterException(nameof(DuplicationSteps), DuplicationSteps, "must be in 1..1000");
                if (DuplicationModelList.Count == 0) throw new FigureParameterException(nameof(DuplicationModels), "give at least one feature extractor");
                foreach (var m in DuplicationModelList)
                    if (!BuiltinModels.IsBuiltin(m) && !File.Exists(m))
                        throw new FigureParameterException(nameof(DuplicationModels), DuplicationModels, $"'{m}' is neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file");
            }
            return this;
        }
    }

    /// <summary>What the data stage chose: the training and held-out manifests (path,caption).</summary>
    public sealed record Data(string TrainingManifest, string HeldOutManifest, int TrainingCount, int HeldOutCount);

    /// <summary>The stand-in generations: their manifest, the key-phrase variants file and the planted "memorised" row of the base variant.</summary>
    public sealed record StandIns(string Manifest, string Variants, long MemorisedRow, string BasePrompt);

    public string Id => "04-stable-diffusion-case-study";
    public string Title => "Duplication and replication with real generations, and the Section 7 pipeline on stand-in generations";
    public object DefaultParameters => new Parameters();

    private static string Repo(params string[] parts) => Path.Combine([RepositoryPaths.Root() ?? ".", .. parts]);

    /// <summary>The duplication study with real generations, once per extractor (the generations and the packed shards are shared;
    /// every stage is persisted under the work folder and reused on a rerun). Empty when <see cref="Parameters.Duplication"/> is.</summary>
    public static IReadOnlyList<DuplicationStudyResult> DuplicationStudies(Parameters p, ScanProgress? progress = null, Action<string>? log = null)
    {
        p.Validate();
        if (p.Duplication.Length == 0) return [];
        return p.DuplicationModelList.Select(m => DuplicationStudy.Run(new DuplicationStudyOptions
        {
            Denoiser = p.Duplication, Training = p.DuplicationTraining, Base = p.DuplicationBase, WorkFolder = Path.Combine(p.WorkFolder, "duplication"),
            Model = m, Generations = p.Generations, Steps = p.DuplicationSteps, Seed = (ulong)p.Seed, Batch = p.Batch,
        }, progress, log)).ToList();
    }

    public static ChartBlock DuplicationRates(IReadOnlyList<DuplicationStudyResult> r)
    {
        var spec = DuplicationCharts.RatesSpec(r);
        return new ChartBlock("duplication-rates", spec, Replication.Reporting.SvgLineChart.Render(spec));
    }

    public static TableBlock DuplicationTable(IReadOnlyList<DuplicationStudyResult> r) => new("duplication-table", DuplicationCharts.Table(r));

    public static HtmlBlock DuplicationReading(IReadOnlyList<DuplicationStudyResult> r) => new("duplication-reading", DuplicationCharts.ReadingHtml(r));

    /// <summary>Training and held-out images: a seeded permutation of the pool's PNG files (ordinal path order), the first
    /// <see cref="Parameters.Training"/> for training and the next <see cref="Parameters.HeldOut"/> held out. Captions are the titles
    /// (file names, '_' and '-' as spaces) and the category folder. Near-duplicates in the pool stay: they are the duplicates the study counts.</summary>
    public static Data PrepareData(Parameters p)
    {
        p.Validate();
        var files = Directory.EnumerateFiles(p.Images, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count < p.Training + p.HeldOut)
            throw new FigureParameterException(nameof(Parameters.Training), p.Training, $"{p.Images} has {files.Count} PNG files, fewer than Training + HeldOut = {p.Training + p.HeldOut}");
        var order = SeededPermutation.Create(files.Count, (ulong)p.Seed);
        string folder = Path.Combine(p.WorkFolder, "data");
        Directory.CreateDirectory(folder);
        string Write(string name, IEnumerable<int> picks)
        {
            var sb = new StringBuilder("path,caption\n");
            foreach (int i in picks)
            {
                string category = Path.GetRelativePath(p.Images, Path.GetDirectoryName(files[i])!).Replace(Path.DirectorySeparatorChar, ' ');
                string caption = WebDatasetPacker.CaptionFromName(files[i]) + (category == "." ? "" : $", {category} clipart");
                sb.Append(CsvTable.Line(files[i], caption)).Append('\n');
            }
            string path = Path.Combine(folder, name);
            AtomicFile.WriteAllText(path, sb.ToString());
            return path;
        }
        return new Data(Write("training.csv", order.Take(p.Training)), Write("held-out.csv", order.Skip(p.Training).Take(p.HeldOut)), p.Training, p.HeldOut);
    }

    /// <summary>The training images as img2dataset stores them: webdataset shards with captions (kept once complete; a
    /// different training manifest packs again).</summary>
    public static string Pack(Parameters p, Data data)
    {
        string key = EmbeddingFiles.Sha256Of(data.TrainingManifest)[..12] + FormattableString.Invariant($"-{p.SamplesPerShard}");
        return WebDatasetPacker.PackOnce(ImageCollection.FromManifest(data.TrainingManifest), Path.Combine(p.WorkFolder, "shards", key), p.SamplesPerShard);
    }

    /// <summary>The store: every shard embedded (resumes shard by shard).</summary>
    public static string Embed(Parameters p, string shards)
    {
        string store = Path.Combine(p.WorkFolder, "store", Path.GetFileName(shards) + "-" + Path.GetFileNameWithoutExtension(p.Model));
        using var extractor = FeatureExtractor.Open(p.Model);
        var result = StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, ShardSelection.All, p.Batch);
        if (result.Manifest is null) throw new InputDataException($"{store}: the store is not complete after embedding every shard");
        return store;
    }

    /// <summary>Prompts drawn from the training captions, the key-phrase variants, and a stand-in image for each line.</summary>
    public static StandIns MakeStandIns(Parameters p, Data data, string store)
    {
        var prompts = PromptSampler.Sample(TrainingCaptions.FromStore(store), p.Prompts, (ulong)p.Seed);
        string folder = Path.Combine(p.WorkFolder, "stand-ins", FormattableString.Invariant($"{Path.GetFileName(store)}-p{p.Prompts}-{p.Planted}-k{p.KeyPhrasePlanted}x{p.PerVariant}-seed{p.Seed}"));
        Directory.CreateDirectory(folder);
        PromptManifest.Write(Path.Combine(folder, "prompts.csv"), prompts);
        // the memorised image of the key-phrase study: a seeded training row with a caption
        using var opened = EmbeddingStore.Open(store);
        ulong state = (ulong)p.Seed ^ 0xC0FFEE;
        if (opened.Count == 0) throw new InputDataException($"{store}: the store has no rows");
        StoreRow memorised;
        int attempts = 0;
        do
        {
            if (++attempts > 10_000) throw new InputDataException($"{store}: no captioned row found for the key-phrase study");
            memorised = opened.Row((long)PromptSampler.Below((ulong)opened.Count, ref state));
        }
        while (string.IsNullOrWhiteSpace(memorised.Caption));
        string basePrompt = $"{memorised.Caption} {PromptVariants.KeyPhrase}";
        var variants = PromptVariants.Removing(basePrompt, [PromptVariants.KeyPhrase]);
        string variantsPath = Path.Combine(folder, "variants.csv");
        PromptVariants.Write(variantsPath, variants, p.PerVariant, (ulong)p.Seed);
        var lines = prompts.Select(r => new StandInGenerations.Line(r.Prompt, r.SourceKey, r.Seed, p.Planted)).ToList();
        foreach (var (v, seed) in PromptVariants.Lines(variants, p.PerVariant, (ulong)p.Seed))
        {
            bool isBase = v.Name == "base";
            lines.Add(new StandInGenerations.Line(v.Prompt, GeneratedImage.NoSource, seed, isBase ? p.KeyPhrasePlanted : p.Planted, isBase ? memorised.Row : null));
        }
        string manifest = StandInGenerations.Make(lines, store, Novel(p, data, store, folder), Path.Combine(folder, "images"), (ulong)p.Seed);
        return new StandIns(manifest, variantsPath, memorised.Row, basePrompt);
    }

    /// <summary>The held-out images that are novel: those whose best match in the training store scores at most the study's threshold
    /// (and the duplicate threshold): the pool holds exact and near duplicates across categories, and one of those would be a copy.</summary>
    public static IReadOnlyList<ImageRecord> Novel(Parameters p, Data data, string store, string folder)
    {
        var heldOut = ImageCollection.FromManifest(data.HeldOutManifest);
        string embedded = Path.Combine(folder, "held-out-" + Path.GetFileNameWithoutExtension(p.Model));
        using (var extractor = FeatureExtractor.Open(p.Model))
            EmbeddingJob.Run(heldOut, extractor, embedded, p.Batch);
        var rows = EmbeddingFiles.ReadImages(embedded);
        var search = StoreSearch.Run(Path.Combine(embedded, EmbeddingFiles.Vectors), store, Path.Combine(embedded, "search"),
            new StoreSearchSettings(Similarity.InnerProduct, 1, []));
        var novel = new HashSet<string>(StringComparer.Ordinal);
        double limit = Math.Min(p.ThresholdValue ?? p.CardThreshold?.Threshold ?? p.DuplicateThreshold, p.DuplicateThreshold);
        for (int i = 0; i < rows.Count; i++)
            if (search.Matches.Scores[i] <= limit) novel.Add(Path.GetFullPath(rows[i].Path));
        var kept = heldOut.Where(r => novel.Contains(Path.GetFullPath(r.Path))).ToList();
        if (kept.Count == 0) throw new InputDataException($"none of the {heldOut.Count} held-out images is novel (each has a training image above {limit})");
        return kept;
    }

    /// <summary>The stand-ins' embeddings with the store's extractor.</summary>
    public static string EmbedGenerations(Parameters p, StandIns s)
    {
        string folder = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(s.Manifest)!)!, "embeddings-" + Path.GetFileNameWithoutExtension(p.Model));
        using var extractor = FeatureExtractor.Open(p.Model);
        EmbeddingJob.Run(ImageCollection.FromManifest(s.Manifest), extractor, folder, p.Batch);
        return folder;
    }

    /// <summary>Every Section 7 analysis (<see cref="CaseStudyRun"/>). With Threshold auto, the 1% point of the source images' own
    /// top-1 (random training images against the rest of the store) is the threshold: a second pass reuses every search part.</summary>
    public static CaseStudyResult Study(Parameters p, string store, StandIns s, string embeddings)
    {
        string outDir = Path.Combine(Path.GetDirectoryName(embeddings)!, "study");
        var settings = new CaseStudySettings(Similarity.InnerProduct, ThresholdPolicy.PaperValue, p.DuplicateThreshold, Seed: (ulong)p.Seed);
        return CaseStudyRun.Run(store, s.Manifest, embeddings, outDir, settings, p.ThresholdPolicy, card: p.CardThreshold);
    }

    /// <summary>The 1% point of the training images' own top-1 (<see cref="CaseStudyRun.CalibratedThreshold"/>).</summary>
    public static CalibratedThreshold CalibratedThreshold(CaseStudyResult r) => CaseStudyRun.CalibratedThreshold(r);

    public static ChartBlock Top1(CaseStudyResult r) => new("top1", CaseStudyCharts.Top1Spec(r), CaseStudyCharts.Top1Svg(r));
    public static ChartBlock Sources(CaseStudyResult r) => new("sources", CaseStudyCharts.SourceSpec(r), CaseStudyCharts.SourceSvg(r));
    public static ChartBlock Duplicates(CaseStudyResult r) => new("duplicates", CaseStudyCharts.DuplicatesSpec(r), CaseStudyCharts.DuplicatesSvg(r));
    public static TableBlock DuplicatesTable(CaseStudyResult r) => new("duplicates-table", CaseStudyCharts.DuplicatesTable(r));
    public static HtmlBlock Gallery(CaseStudyResult r, int rows) => new("gallery", CaseStudyCharts.GalleryHtml(r, rows));

    public static IReadOnlyList<VariantRate> KeyPhrases(CaseStudyResult r, StandIns s) => KeyPhraseStudy.Rates(r, PromptVariants.Read(s.Variants));
    public static TableBlock KeyPhraseTable(IReadOnlyList<VariantRate> rates) => new("key-phrases", CaseStudyCharts.VariantTable(rates));

    /// <summary>The truth beside the findings: planted and novel stand-ins, above and below the threshold.</summary>
    public static TableBlock StandInCheck(CaseStudyResult r, StandIns s)
    {
        var kinds = StandInGenerations.Kinds(s.Manifest);
        var rows = new[] { StandInKind.Planted, StandInKind.Novel }.Select(k =>
        {
            var of = r.Rows.Where(g => g.Scored && kinds[g.Index] == k).ToList();
            return (Kind: k, Count: of.Count, Above: of.Count(g => g.Top1 > r.Threshold), Median: of.Count == 0 ? double.NaN : ReplicationStatistics.Percentile(of.Select(g => (double)g.Top1).Order().ToArray(), 50));
        }).ToList();
        return new TableBlock("stand-in-check", new DataFrame(
            new StringDataFrameColumn("stand-in", rows.Select(x => x.Kind == StandInKind.Planted ? "planted copy of a training image" : "novel (never in training)")),
            new Int32DataFrameColumn("generations", rows.Select(x => x.Count)),
            new Int32DataFrameColumn("above threshold", rows.Select(x => x.Above)),
            new DoubleDataFrameColumn("median top-1", rows.Select(x => x.Median))));
    }

    public static HtmlBlock Reading(CaseStudyResult r, IReadOnlyList<VariantRate> rates, Parameters p, StandIns? standIns = null)
    {
        var calibrated = CalibratedThreshold(r);
        string point = calibrated.Estimable
            ? $"the 1% point of the training images' own top-1 is {calibrated.Threshold.ToString("0.####", CultureInfo.InvariantCulture)}"
            : $"the 1% point of the training images' own top-1 is not estimable ({calibrated.TrainingCount} source images, needs {calibrated.MinimumTraining})";
        string threshold = p.CardThreshold is { } cardThreshold
            ? $"Threshold: {r.Threshold.ToString(CultureInfo.InvariantCulture)}, the model card's, {ThresholdChoice.CardReason(cardThreshold, r.StoreRows)}; {point}."
            : p.ThresholdValue is null
            ? (calibrated.Estimable && Math.Abs(calibrated.Threshold - r.Threshold) < 1e-12 ? $"Threshold: calibrated, {point}." : $"Threshold: {r.Threshold.ToString(CultureInfo.InvariantCulture)} (the paper's value) because {point}" + (calibrated.Estimable ? ", and a point of 0.999 or more flags only exact copies." : "."))
            : $"Threshold: {r.Threshold.ToString(CultureInfo.InvariantCulture)} ({(p.ThresholdPolicy.Rule == ThresholdRule.Paper ? "the paper's, for SSCD" : "given; the paper uses SSCD's 0.5")}; {point}).";
        string truth = "";
        if (standIns is not null)
        {
            var kinds = StandInGenerations.Kinds(standIns.Manifest);
            var planted = r.Scored.Where(g => kinds[g.Index] == StandInKind.Planted).ToList();
            var novel = r.Scored.Where(g => kinds[g.Index] == StandInKind.Novel).ToList();
            truth = string.Create(CultureInfo.InvariantCulture,
                $"Against the truth (all stand-ins, prompt variants included): {planted.Count(g => g.Top1 > r.Threshold)} of {planted.Count} planted copies score above the threshold; {novel.Count(g => g.Top1 > r.Threshold)} of {novel.Count} novel images do too (false alarms: none of them had a training image above the threshold before the stand-in transform).\n");
        }
        string text = "Stand-ins, not Stable Diffusion: the planted share and the key-phrase effect were set by us; the study should find them.\n" +
                      threshold + "\n" + truth + CaseStudyCharts.Reading(r, rates);
        return new HtmlBlock("reading", "<pre class=\"rs-reading\" style=\"white-space: pre-wrap\">" + WebUtility.HtmlEncode(text) + "</pre>");
    }

    /// <summary>The generations' search once more through Slurm job arrays (search-store --part i/N, then --merge), compared with the
    /// single-process result; or why it did not run.</summary>
    public static HtmlBlock SlurmRun(Parameters p, string store, string embeddings)
    {
        string Block(string text) => "<pre class=\"rs-slurm\" style=\"white-space: pre-wrap\">" + WebUtility.HtmlEncode(text) + "</pre>";
        if (p.Slurm == "off") return new HtmlBlock("slurm", Block("Slurm: off (Parameters.Slurm)."));
        if (SlurmJobs.Unreachable() is { } why)
            return new HtmlBlock("slurm", Block($"Slurm: not run, {why}. The stages above ran in this process; 'replication cluster slurm' writes the job-array scripts for a cluster (src/Replication.Cli/slurm-one-node.sh starts a one-node cluster here)."));
        string cli = Path.Combine(RepositoryPaths.Root() ?? ".", "src", "Replication.Cli", "bin", "Release", "net10.0", "Replication.Cli.dll");
        if (!File.Exists(cli)) return new HtmlBlock("slurm", Block($"Slurm: not run, the CLI is not built ({cli}; dotnet build -c Release)."));
        string study = Path.Combine(Path.GetDirectoryName(embeddings)!, "study");
        string queries = Path.Combine(study, CaseStudyRun.Queries, "generations.npy");
        string single = Path.Combine(study, CaseStudyRun.GenerationSearch);
        string outDir = Path.Combine(p.WorkFolder, "slurm", "search");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true); // run the cluster path for real every time
        string scripts = Path.Combine(p.WorkFolder, "slurm", "scripts");
        var pipeline = new SlurmPipeline(["dotnet", cli], p.SlurmTasks, new SlurmResources(), Path.Combine(p.WorkFolder, "slurm", "logs"), null,
            ["search-store", "--queries", queries, "--store", Path.GetFullPath(store), "--out", outDir, "--k", new CaseStudySettings(Similarity.InnerProduct).K.ToString(CultureInfo.InvariantCulture), "--metric", "ip"]);
        SlurmScripts.Write(pipeline, scripts);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var jobs = SlurmJobs.Submit(scripts);
        var states = jobs.Select(j => (j.Name, j.Id, State: SlurmJobs.Wait(j.Id, TimeSpan.FromMinutes(10)))).ToList();
        var text = new StringBuilder("Slurm: the generations' search as job arrays (" + string.Join(", ", jobs.Select(j => $"{j.Name} job {j.Id}")) + "):\n");
        foreach (var s in states) text.Append(CultureInfo.InvariantCulture, $"  {s.Name} {s.Id}: {s.State}\n");
        text.Append(CultureInfo.InvariantCulture, $"  wall time {watch.Elapsed.TotalSeconds:F1} s, {p.SlurmTasks} tasks per array\n");
        string merged = Path.Combine(outDir, StoreSearch.Matches), reference = Path.Combine(single, StoreSearch.Matches);
        if (states.All(s => s.State == "COMPLETED") && File.Exists(merged))
            text.Append(File.ReadAllBytes(merged).AsSpan().SequenceEqual(File.ReadAllBytes(reference))
                ? "  merged matches.csv is byte-identical to the single-process search above\n"
                : "  merged matches.csv DIFFERS from the single-process search (see the logs)\n");
        text.Append($"  scripts: {scripts}\n  logs: {pipeline.LogsFolder}");
        return new HtmlBlock("slurm", Block(text.ToString()));
    }

    public FigureOutput Run(object parameters)
    {
        var p = ((Parameters)parameters).Validate();
        var duplication = DuplicationStudies(p);
        var data = PrepareData(p);
        string store = Embed(p, Pack(p, data));
        var s = MakeStandIns(p, data, store);
        string embeddings = EmbedGenerations(p, s);
        var r = Study(p, store, s, embeddings);
        var rates = KeyPhrases(r, s);
        FigureBlock[] lead = duplication.Count == 0 ? [] : [DuplicationRates(duplication), DuplicationTable(duplication), DuplicationReading(duplication)];
        return new FigureOutput(Id, Title, [.. lead, Top1(r), StandInCheck(r, s), Sources(r), Duplicates(r), DuplicatesTable(r), KeyPhraseTable(rates),
            Reading(r, rates, p, s), Gallery(r, p.GalleryRows), SlurmRun(p, store, embeddings)]);
    }
}
