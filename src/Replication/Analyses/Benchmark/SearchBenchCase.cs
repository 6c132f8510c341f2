namespace Replication.Analyses.Benchmark;

/// <summary>One exact-search benchmark case: random rows (seeded) of <see cref="Dimension"/> floats = <see cref="Chunks"/>
/// chunks; <see cref="Metric"/> is <c>ip</c>, <c>split</c> or <c>split-cos</c>.</summary>
public sealed record SearchBenchCase(string Name, string Metric, int Queries, int Gallery, int Chunks, int ChunkDimension, int K)
{
    public int Dimension => Chunks * ChunkDimension;

    /// <summary>2·Nq·Ng·D, the same count for every metric.</summary>
    public double Flops => 2.0 * Queries * Gallery * Dimension;
}
