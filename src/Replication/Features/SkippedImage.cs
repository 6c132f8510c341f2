namespace Replication.Features;

/// <summary>An input image left out of a run, and why.</summary>
public sealed record SkippedImage(string Path, string Reason);
