namespace Replication.Embeddings.Store;

/// <summary>The metadata of one row of a store: its global id, its shard (index and tar) and the sample's key, caption, url and size.</summary>
public sealed record StoreRow(long Row, int Shard, string Source, string Key, string? Caption, string? Url, long? Width, long? Height);
