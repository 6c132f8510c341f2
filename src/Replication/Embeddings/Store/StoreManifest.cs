namespace Replication.Embeddings.Store;

/// <summary><c>manifest.json</c>: a complete store. Global row ids are <c>long</c>: shard <c>s</c>'s row <c>r</c> is row <c>FirstRow + r</c>.</summary>
public sealed record StoreManifest(string Format, string Model, int Dimension, long Rows, long Skipped, IReadOnlyList<StoreManifestShard> Shards);

/// <summary>One shard of <see cref="StoreManifest"/>.</summary>
public sealed record StoreManifestShard(int Index, string Source, long FirstRow, long Rows, long Skipped, string VectorsSha256, string RowsSha256);
