namespace Replication.Search.Approximate;

/// <summary>
/// <c>index.json</c>, written next to the index file once it is complete: what the graph was built from (the vectors'
/// <see cref="VectorFingerprint"/>, their count and dimension), how, how long it took, and the SHA-256 of the index file, checked
/// before the native library reads it (a damaged graph crashed it without a word).
/// </summary>
public sealed record HnswIndexInfo(string Format, string Source, string Fingerprint, long Rows, int Dimension, string Similarity, int Connectivity,
    int ExpansionAdd, double BuildSeconds, long IndexBytes, string? IndexSha256 = null);
