using Replication.Search.Retrieval;

namespace Replication.Analyses.Benchmark;

/// <summary>One model on one dataset: its retrieval scores, or why it failed.</summary>
public sealed record BenchmarkCell(string Model, string Dataset, string Similarity, RetrievalScores? Scores, double ImagesPerSecond, string? Error)
{
    public bool Succeeded => Scores is not null;
}
