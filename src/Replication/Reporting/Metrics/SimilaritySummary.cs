namespace Replication.Reporting.Metrics;

/// <summary>Summary of a set of top-1 similarity scores, as the paper's tables report it.</summary>
public sealed record SimilaritySummary(int Count, double Mean, double Std, double P75, double P90, double P95, double Threshold, double FractionAbove);
