using Replication.Reporting.Metrics;
using Replication.Analyses.Demo;
using Replication.Core;
using Replication.Embeddings;
using Replication.Analyses.Scanning;

namespace Replication.Figures;

/// <summary>
/// Notebook 00: the replication scan of the offline demo data. Planted replicas among novel images are scanned
/// with the built-in ResNet-18; the figure shows the overlaid top-1 similarity histograms, the statistics
/// table and the gallery of closest matches.
/// </summary>
public sealed class QuickstartFigure : IFigure
{
    public sealed record Parameters
    {
        /// <summary>Folder with clipart/ and photos/ (default: the repository's data/demo-sources).</summary>
        public string Sources { get; init; } = RepositoryPaths.DemoSources() ?? "data/demo-sources";

        /// <summary>Where the demo sets, embeddings and scan outputs go (default: out/00-quickstart in the repository).</summary>
        public string WorkFolder { get; init; } = RepositoryPaths.Output("00-quickstart");
        /// <summary>The toolkit's copy detector by default; resnet18 (an object classifier) for contrast.</summary>
        public string Model { get; init; } = BuiltinModels.CopyDetectorName;
        public int ReplicasPerKind { get; init; } = 2;
        public int MaxSources { get; init; } = 24;
        /// <summary>auto (calibrated on the training set when it has ≥ 100 images, else the paper's 0.5), paper (0.5, the paper's for
        /// SSCD) or a number in [0, 1].</summary>
        public string Threshold { get; init; } = "auto";

        /// <summary><see cref="Threshold"/> parsed.</summary>
        public ThresholdPolicy ThresholdPolicy => ThresholdPolicy.Parse(Threshold, nameof(Threshold));
        public int GalleryRows { get; init; } = 6;
        public int Seed { get; init; } = 7;

        /// <summary>Checks every parameter before any work; throws one clear message.</summary>
        public Parameters Validate()
        {
            if (!Directory.Exists(Path.Combine(Sources, "clipart")) || !Directory.Exists(Path.Combine(Sources, "photos")))
                throw new FigureParameterException(nameof(Sources), Sources, $"no clipart/ and photos/ there (expected the repository's data/demo-sources; the working folder is {Directory.GetCurrentDirectory()})");
            if (!BuiltinModels.IsBuiltin(Model) && !File.Exists(Model))
                throw new FigureParameterException(nameof(Model), Model, $"neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file");
            if (ReplicasPerKind < 1) throw new FigureParameterException(nameof(ReplicasPerKind), ReplicasPerKind, "must be at least 1");
            if (MaxSources < 4) throw new FigureParameterException(nameof(MaxSources), MaxSources, "must be at least 4");
            FigureParameterException.Threshold(nameof(Threshold), Threshold, 0, 1);
            if (GalleryRows < 1) throw new FigureParameterException(nameof(GalleryRows), GalleryRows, "must be at least 1");
            return this;
        }
    }

    public string Id => "00-quickstart";
    public string Title => "Quickstart: a replication scan of the demo data";
    public object DefaultParameters => new Parameters();

    /// <summary>Builds the demo sets and scans them (embeddings are reused on a rerun).</summary>
    public static ScanResult Scan(Parameters p)
    {
        p.Validate();
        var set = DemoSetBuilder.Build(p.Sources, Path.Combine(p.WorkFolder, "demo-data"), p.ReplicasPerKind, seed: p.Seed, maxSources: p.MaxSources);
        return ReplicationScan.Run(new ScanOptions
        {
            Generated = set.GeneratedFolder, Training = set.TrainingFolder, OutputFolder = Path.Combine(p.WorkFolder, "scan"),
            Model = p.Model, Threshold = p.ThresholdPolicy, GalleryRows = p.GalleryRows, Annotations = set.Annotations,
        });
    }

    /// <summary>The scan's answer in one sentence (<see cref="ScanResult.Verdict"/>), as the report and the console open with it.</summary>
    public static HtmlBlock Verdict(ScanResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new("verdict", ScanReport.VerdictHtml(r));
    }

    public static ChartBlock Histograms(ScanResult r) => new("histograms", ScanCharts.HistogramSpec(r), ScanCharts.HistogramSvg(r));

    public static TableBlock Statistics(ScanResult r) => new("statistics", ScanCharts.StatisticsTable(r));

    public static HtmlBlock Gallery(ScanResult r, int rows) => new("gallery", ScanReport.GalleryHtml(r, rows));

    public FigureOutput Run(object parameters)
    {
        var p = (Parameters)parameters;
        var r = Scan(p);
        return new FigureOutput(Id, Title, [Verdict(r), Histograms(r), Statistics(r), Gallery(r, p.GalleryRows)]);
    }
}
