namespace Replication.Analyses.CaseStudy;

/// <summary>Pearson r between a complexity measure of the match images and the generations' top-1 scores, with scipy's two-sided p.</summary>
public sealed record ComplexityCorrelation(string Measure, double R, double P, int N);
