namespace Replication.Data.Generations;

/// <summary>A training sample with a caption: its key, its caption and, in a store, its row.</summary>
public sealed record CaptionedSample(string Key, string Caption, long? Row);
