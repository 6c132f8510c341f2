using Replication.Analyses.Benchmark;
using Replication.Core;
using Replication.Data.Datasets;
using Replication.Embeddings;

namespace Replication.Figures;

/// <summary>
/// Notebook 01: the paper's Table 1. Feature extractors are ranked by how well they retrieve the source of
/// synthetic copies (and, when present, on real retrieval datasets): mAP per extractor and dataset, and the
/// average rank across datasets.
/// </summary>
public sealed class ExtractorBenchmarkFigure : IFigure
{
    public sealed record Parameters
    {
        /// <summary>Built-in model names or model card paths, comma-separated.</summary>
        // The built-ins notebook 01 was last run with; the copy detector joins when the notebook is rerun with it (issue 17).
        public string Models { get; init; } = string.Join(",", BuiltinModels.CopyDetectorName, BuiltinModels.ResNet18Name, BuiltinModels.ResNet18TokensName, BuiltinModels.PixelsName, BuiltinModels.TiledL2Name);

        /// <summary>Synthetic copy datasets to generate from <see cref="Sources"/>: cutmix, segmix, diagonal-outpaint, patch-outpaint.</summary>
        public string SyntheticSets { get; init; } = "cutmix,segmix,diagonal-outpaint,patch-outpaint";

        /// <summary>Real datasets for the full-scale table, comma-separated <c>kind:path</c> (roxford5k, rparis6k, cub200, gpr1200, instre)
        /// or plain folders with gallery/, queries/ and gt.json.</summary>
        public string ExtraDatasets { get; init; } = "";

        /// <summary>Segmentation datasets for extra Segmix sets, comma-separated <c>voc:PATH</c> or <c>coco:PATH</c> (masks from annotations).</summary>
        public string SegmentationMasks { get; init; } = "";

        /// <summary>
        /// A DDPM denoiser card (ONNX, see models/README.md): when given, the outpainting sets are filled with RePaint as in
        /// the paper; when empty, with the harmonic fill, and their columns say so.
        /// </summary>
        public string Denoiser { get; init; } = "";

        /// <summary>Source images per synthetic set (each a query with 4 copies in the gallery); fewer when the sources run out.</summary>
        public int QueriesPerSet { get; init; } = 24;
        public int Seed { get; init; } = 0;
        public int TopK { get; init; } = 100;
        public string Sources { get; init; } = RepositoryPaths.DemoSources() ?? "data/demo-sources";
        public string WorkFolder { get; init; } = RepositoryPaths.Output("01-extractor-benchmark");

        public IReadOnlyList<string> ModelList => Split(Models);
        public IReadOnlyList<SyntheticCopyKind> SyntheticKinds => Split(SyntheticSets).Select(ParseKind).ToList();
        public IReadOnlyList<string> ExtraDatasetFolders => Split(ExtraDatasets);
        public IReadOnlyList<string> SegmentationMaskSpecs => Split(SegmentationMasks);

        public Parameters Validate()
        {
            if (ModelList.Count == 0) throw new FigureParameterException(nameof(Models), "empty; name at least one built-in model or model card");
            foreach (var m in ModelList)
                if (!BuiltinModels.IsBuiltin(m) && !File.Exists(m))
                    throw new FigureParameterException(nameof(Models), m, $"neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file");
            _ = SyntheticKinds;
            if (SyntheticKinds.Count > 0 && (!Directory.Exists(Sources) || ImageFilesIn(Sources) < 3))
                throw new FigureParameterException(nameof(Sources), Sources, $"needs a folder of at least 3 images to build the synthetic sets");
            foreach (var spec in ExtraDatasetFolders)
            {
                var (kind, path) = RetrievalDatasets.ParseSpec(spec);
                if (kind == "folder" && !File.Exists(Path.Combine(path, "gt.json")))
                    throw new FigureParameterException(nameof(ExtraDatasets), spec, $"has no gt.json (give kind:path, kinds {string.Join(", ", RetrievalDatasets.Kinds)}, or a folder with gallery/, queries/, gt.json)");
                if (!Directory.Exists(path))
                    throw new FigureParameterException(nameof(ExtraDatasets), path, "does not exist");
            }
            foreach (var spec in SegmentationMaskSpecs)
                if (!spec.StartsWith("voc:") && !spec.StartsWith("coco:") || !Directory.Exists(spec[(spec.IndexOf(':') + 1)..]))
                    throw new FigureParameterException(nameof(SegmentationMasks), spec, $"not voc:PATH or coco:PATH with an existing folder");
            if (SyntheticKinds.Count + ExtraDatasetFolders.Count + SegmentationMaskSpecs.Count == 0)
                throw FigureParameterException.NoneOf("no datasets", nameof(SyntheticSets), nameof(SegmentationMasks), nameof(ExtraDatasets));
            if (Denoiser.Length > 0 && !File.Exists(Denoiser))
                throw new FigureParameterException(nameof(Denoiser), Denoiser, "no such denoiser card");
            if (QueriesPerSet < 1) throw new FigureParameterException(nameof(QueriesPerSet), QueriesPerSet, "must be at least 1");
            if (TopK < 1) throw new FigureParameterException(nameof(TopK), TopK, "must be at least 1");
            return this;
        }

        private static int ImageFilesIn(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Count(f => Replication.Images.ImageCollection.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()));

        private static IReadOnlyList<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        private static SyntheticCopyKind ParseKind(string name) =>
            Enum.GetValues<SyntheticCopyKind>().FirstOrDefault(k => string.Equals(Replication.Core.Naming.KebabCase(k.ToString()), name, StringComparison.OrdinalIgnoreCase), (SyntheticCopyKind)(-1)) is var k && Enum.IsDefined(k)
                ? k
                : throw new FigureParameterException(nameof(SyntheticSets), name, "unknown set (cutmix, segmix, diagonal-outpaint, patch-outpaint)");
    }

    public string Id => "01-extractor-benchmark";
    public string Title => "Extractor benchmark (Table 1): which features find copies?";
    public object DefaultParameters => new Parameters();

    /// <summary>
    /// The datasets of the table. Outpainting sets are named for their fill: "diagonal-outpaint (harmonic fill)" unless a
    /// denoiser card is given, then "diagonal-outpaint (RePaint)".
    /// </summary>
    public static IReadOnlyList<DatasetSource> Datasets(Parameters p, IOutpaintFill? fill = null) =>
        p.SyntheticKinds.Select(k => new DatasetSource(DatasetName(k, fill),
                () => SyntheticCopyGenerator.Generate(k, p.Sources, Path.Combine(p.WorkFolder, "datasets", k.ToString()), p.QueriesPerSet, p.Seed, fill)))
            .Concat(p.SegmentationMaskSpecs.Select(spec => new DatasetSource("segmix-" + spec[..spec.IndexOf(':')],
                () => SyntheticCopyGenerator.GenerateSegmix(ObjectMaskSources.Open(spec), Path.Combine(p.WorkFolder, "datasets", "segmix-" + spec[..spec.IndexOf(':')]),
                    p.QueriesPerSet, p.Seed, spec))))
            .Concat(p.ExtraDatasetFolders.Select(RetrievalDatasets.ParseSpec).Select(s => new DatasetSource(
                s.Kind == "folder" ? Path.GetFileName(Path.GetFullPath(s.Path).TrimEnd('/')) : s.Kind, () => RetrievalDatasets.Open(s.Kind, s.Path))))
            .ToList();

    public static string DatasetName(SyntheticCopyKind kind, IOutpaintFill? fill)
    {
        string name = Replication.Core.Naming.KebabCase(kind.ToString());
        if (kind is not (SyntheticCopyKind.DiagonalOutpaint or SyntheticCopyKind.PatchOutpaint)) return name;
        return fill is RePaintFill ? $"{name} (RePaint)" : $"{name} (harmonic fill)";
    }

    /// <summary>Runs the benchmark and leaves its results in the work folder: benchmark.json and benchmark.csv (one row per cell).</summary>
    public static BenchmarkTable Run(Parameters p, Action<string>? log = null)
    {
        p.Validate();
        using var denoiser = p.Denoiser.Length > 0 && p.SyntheticKinds.Any(k => k is SyntheticCopyKind.DiagonalOutpaint or SyntheticCopyKind.PatchOutpaint)
            ? new Replication.Data.Diffusion.OnnxDenoiser(Replication.Data.Diffusion.DenoiserCard.Load(p.Denoiser)) : null;
        var fill = denoiser is null ? null : new RePaintFill(denoiser);
        if (fill is not null)
            log?.Invoke($"outpainting with {fill.Name}: {fill.NetworkCallsPerImage} network calls per copy");
        var table = ExtractorBenchmark.Run(p.ModelList, Datasets(p, fill), new BenchmarkOptions { CacheFolder = Path.Combine(p.WorkFolder, "embeddings"), TopK = p.TopK }, log);
        Replication.Core.Files.AtomicFile.WriteAllText(Path.Combine(p.WorkFolder, "benchmark.json"), table.ToJson());
        Replication.Core.Files.AtomicFile.WriteAllText(Path.Combine(p.WorkFolder, "benchmark.csv"), Replication.Reporting.DataFrameText.ToCsv(table.ToDataFrame()));
        return table;
    }

    public static ChartBlock HeatMap(BenchmarkTable t)
    {
        var spec = t.HeatMap();
        return new("map-heatmap", spec, Replication.Reporting.SvgHeatmapChart.Render(spec.Title, spec.RowLabels!, spec.ColumnLabels!, spec.Z!));
    }

    public static TableBlock Table1(BenchmarkTable t) => new("table1", t.ToSummaryFrame());

    public static TableBlock Cells(BenchmarkTable t) => new("cells", t.ToDataFrame());

    /// <summary>The paper's Table 1 finding and this run's, in words (the synthetic sets are those of <paramref name="p"/>).</summary>
    public static HtmlBlock Reading(BenchmarkTable t, Parameters p)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(p);
        var synthetic = t.Datasets.Where(d => d.StartsWith("segmix-", StringComparison.Ordinal)
            || p.SyntheticKinds.Any(k => d.StartsWith(Replication.Core.Naming.KebabCase(k.ToString()), StringComparison.Ordinal))).ToHashSet(StringComparer.Ordinal);
        return new("reading", "<pre class=\"rs-reading\" style=\"white-space: pre-wrap\">" + System.Net.WebUtility.HtmlEncode(BenchmarkReading.Of(t, synthetic)) + "</pre>");
    }

    public FigureOutput Run(object parameters)
    {
        var p = (Parameters)parameters;
        var t = Run(p);
        return new FigureOutput(Id, Title, [HeatMap(t), Table1(t), Reading(t, p), Cells(t)]);
    }
}
