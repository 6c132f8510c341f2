namespace Replication.Search;

public enum SimilarityKind
{
    InnerProduct,
    SplitProduct,

    /// <summary>Tiled ℓ2 of Carlini et al. 2023 on raw pixel tiles, reported as 1 − max over tiles of the tile RMS difference.</summary>
    TiledL2,
}
