namespace Replication.Embeddings.Store;

/// <summary>What happened to one shard in a run: embedded now (with its time) or found done and reused.</summary>
public sealed record ShardOutcome(ShardDone Done, bool Reused, TimeSpan Elapsed);
