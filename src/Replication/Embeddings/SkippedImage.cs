namespace Replication.Embeddings;

/// <summary>An input image left out of a run, and why.</summary>
public sealed record SkippedImage(string Path, string Reason);
