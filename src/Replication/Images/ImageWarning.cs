namespace Replication.Images;

/// <summary>An image that was embedded but deserves a look (e.g. it is a single colour), with the reason.</summary>
public sealed record ImageWarning(string Path, string Warning);
