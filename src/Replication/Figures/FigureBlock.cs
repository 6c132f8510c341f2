using Microsoft.Data.Analysis;
using Replication.Reporting.Charting;

namespace Replication.Figures;

/// <summary>One displayable piece of a figure: a chart, a table or an HTML block (a gallery).</summary>
public abstract record FigureBlock(string Name);

/// <summary>A chart, with an optional static SVG twin for places that cannot run scripts.</summary>
public sealed record ChartBlock(string Name, ChartSpec Spec, string? StaticSvg = null) : FigureBlock(Name);

public sealed record TableBlock(string Name, DataFrame Table) : FigureBlock(Name);

public sealed record HtmlBlock(string Name, string Html) : FigureBlock(Name);
