namespace Replication.Search.Approximate;

/// <summary>
/// <c>index.json</c>, written next to the index file once it is complete: what the graph was built from (the vectors'
/// <see cref="VectorFingerprint"/>, their count and dimension), how, and how long it took.
/// </summary>
public sealed record HnswIndexInfo(string Format, string Source, string Fingerprint, long Rows, int Dimension, string Similarity, int Connectivity,
    int ExpansionAdd, double BuildSeconds, long IndexBytes);
