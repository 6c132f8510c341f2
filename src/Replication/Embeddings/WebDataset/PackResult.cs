namespace Replication.Embeddings.WebDataset;

/// <summary>What <see cref="WebDatasetPacker.Pack"/> wrote: the shards (tar paths, in order), the samples in them, and the images left out with why.</summary>
public sealed record PackResult(IReadOnlyList<string> Shards, long Samples, IReadOnlyList<SkippedImage> Skipped);
