namespace Replication.Metrics;

/// <summary>A histogram over fixed bins: <see cref="Edges"/> has one more entry than <see cref="Values"/>.</summary>
public sealed record Histogram(double[] Edges, double[] Values);
