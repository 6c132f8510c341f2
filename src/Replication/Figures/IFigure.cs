namespace Replication.Figures;

/// <summary>A reproducible figure: its notebook and its CLI twin both run <see cref="Run"/> with the same parameters.</summary>
public interface IFigure
{
    /// <summary>The notebook's name without extension, e.g. <c>00-quickstart</c>.</summary>
    string Id { get; }
    string Title { get; }

    /// <summary>The parameters record with its small, offline defaults.</summary>
    object DefaultParameters { get; }

    FigureOutput Run(object parameters);
}
