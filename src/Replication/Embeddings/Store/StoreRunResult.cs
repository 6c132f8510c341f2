namespace Replication.Embeddings.Store;

/// <summary>
/// What a run of <see cref="StoreEmbedding.Run"/> did with its shards; the shards it left because another live process holds their
/// lock (that process embeds them); and the store's manifest when every shard (of every process) is done.
/// </summary>
public sealed record StoreRunResult(IReadOnlyList<ShardOutcome> Shards, StoreManifest? Manifest)
{
    public IReadOnlyList<string> Busy { get; init; } = [];
}
