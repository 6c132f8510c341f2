using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>The complexity of one generation's top-1 match image, with the generation's top-1 score.</summary>
public sealed record ComplexityRow(int Generation, long MatchRow, float Top1, ImageComplexity Complexity);
