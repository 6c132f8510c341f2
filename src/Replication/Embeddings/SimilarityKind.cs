namespace Replication.Embeddings;

public enum SimilarityKind
{
    /// <summary>Cosine similarity of L2-normalised vectors.</summary>
    InnerProduct,

    /// <summary>The official split-product: the whole vector L2-normalised, cut into chunks, the largest chunk-wise dot product.
    /// An exact copy scores the largest chunk's share of the squared norm, not 1.</summary>
    SplitProduct,

    /// <summary>Our named variant of split-product: each chunk L2-normalised on its own, the largest chunk cosine; an exact copy scores 1.</summary>
    SplitCosine,

    /// <summary>Tiled ℓ2 of Carlini et al. 2023 on raw pixel tiles, reported as 1 − max over tiles of the tile RMS difference.</summary>
    TiledL2,
}
