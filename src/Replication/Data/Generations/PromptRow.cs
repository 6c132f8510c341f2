namespace Replication.Data.Generations;

/// <summary>One line of a prompt manifest: the caption to generate from, the training sample it was drawn from, and the seed
/// the generator should use for this image. <paramref name="SourceRow"/>: the store row of that sample, when drawn from a store.</summary>
public sealed record PromptRow(string Prompt, string SourceKey, long Seed, long? SourceRow = null);
