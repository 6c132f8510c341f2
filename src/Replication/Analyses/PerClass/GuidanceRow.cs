using Replication.Reporting.Metrics;

namespace Replication.Analyses.PerClass;

/// <summary>One guidance scale: the own-class rate of its generations (by nearest training image) and the rate by chance.</summary>
public sealed record GuidanceRow(double Scale, Proportion OwnClass, double Chance, string Samples);
