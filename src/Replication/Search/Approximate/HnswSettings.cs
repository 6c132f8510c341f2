namespace Replication.Search.Approximate;

/// <summary>How an <see cref="HnswIndex"/> graph is built (USearch's HNSW parameters).</summary>
/// <param name="Connectivity">Neighbours kept per node and layer (HNSW's M).</param>
/// <param name="ExpansionAdd">Candidates looked at while inserting a row (efConstruction): higher builds slower and finds better.</param>
public sealed record HnswSettings(int Connectivity = HnswSettings.DefaultConnectivity, int ExpansionAdd = HnswSettings.DefaultExpansionAdd)
{
    public const int DefaultConnectivity = 16;
    public const int DefaultExpansionAdd = 128;

    /// <summary>Candidates a search keeps by default (efSearch), and the least USearch keeps whatever it is asked for.</summary>
    public const int DefaultExpansionSearch = 64;
}
