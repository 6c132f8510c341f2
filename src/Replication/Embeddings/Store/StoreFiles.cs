namespace Replication.Embeddings.Store;

/// <summary>
/// The layout of an embedding store (a folder):
/// <code>
/// store.json               what the store is made of: model and decoding settings, the input shards in order
/// shards/00000/            one folder per input shard, written by one process at a time (its own .lock)
///   embeddings.npy         float32 [rows, dim]
///   rows.csv               row, shard, key, caption, url, width, height (row: the row in this shard)
///   skipped.csv            key, reason (samples not embedded, and problems of the tar as a whole)
///   warnings.csv           key, warning (embedded, but something deserves a look)
///   shard.json             written last: rows, dimension, SHA-256 of embeddings.npy and rows.csv, fingerprint
/// manifest.json            written once every shard is done: shards with row counts, first global row, checksums
/// </code>
/// A shard folder without <c>shard.json</c> is unfinished and is embedded again from its start.
/// </summary>
public static class StoreFiles
{
    public const string Plan = "store.json";
    public const string Manifest = "manifest.json";
    public const string ShardsFolder = "shards";
    public const string Vectors = "embeddings.npy";
    public const string Rows = "rows.csv";
    public const string Skipped = "skipped.csv";
    public const string Warnings = "warnings.csv";
    public const string Done = "shard.json";
    public const string Format = "replication-embedding-store/1";

    public static string ShardFolder(string store, int index) => Path.Combine(store, ShardsFolder, $"{index:D5}");
}
