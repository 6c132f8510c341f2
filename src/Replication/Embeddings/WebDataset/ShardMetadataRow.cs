namespace Replication.Embeddings.WebDataset;

/// <summary>One row of a shard's <c>.parquet</c> (img2dataset's columns that this library reads).</summary>
public sealed record ShardMetadataRow(string Key, string? Url, string? Caption, long? Width, long? Height, string? Status = "success");
