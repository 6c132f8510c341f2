namespace Replication.Analyses.Demo;

/// <summary>Ground truth for one generated demo image: a replica of a training image (and how it was made), or novel.</summary>
public sealed record PlantedImage(string Generated, bool IsReplica, string Kind, string? SourceTraining);
