namespace Replication.Figures;

/// <summary>Every figure that has a notebook, by id.</summary>
public static class FigureCatalog
{
    public static IReadOnlyList<IFigure> All { get; } = [new QuickstartFigure(), new ExtractorBenchmarkFigure(), new TrainingSizeSweepFigure(), new PerClassStudyFigure(), new CaseStudyFigure()];

    public static IFigure Find(string id) => All.FirstOrDefault(f => f.Id == id)
        ?? throw new UsageException($"unknown figure '{id}' (figures: {string.Join(", ", All.Select(f => f.Id))})");
}
