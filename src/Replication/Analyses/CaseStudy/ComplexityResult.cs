namespace Replication.Analyses.CaseStudy;

/// <summary>The complexity analysis of a case study (<see cref="ComplexityStudy"/>): per generation, its match image's complexity; per measure, its correlation with the top-1 scores; images that could not be read.</summary>
public sealed record ComplexityResult(IReadOnlyList<ComplexityRow> Rows, IReadOnlyList<ComplexityCorrelation> Correlations, IReadOnlyList<string> Problems);
