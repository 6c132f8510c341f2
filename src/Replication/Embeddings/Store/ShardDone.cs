namespace Replication.Embeddings.Store;

/// <summary><c>shard.json</c>, the last file of a shard folder: the shard is complete and its files are these.</summary>
/// <param name="Fingerprint">The settings and the input tar (and parquet) as they were (name, size, modification time).</param>
/// <param name="Notes">Problems of the shard as a whole that did not stop it (an unreadable parquet, a truncated tar).</param>
public sealed record ShardDone(int Index, string Source, string Fingerprint, long Rows, int Dimension, long Skipped, string VectorsSha256, string RowsSha256,
    IReadOnlyList<string> Notes);
