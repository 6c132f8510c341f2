namespace Replication.Search;

/// <summary>
/// How two embeddings are compared. Both kinds L2-normalise the whole vector first.
/// <list type="bullet">
/// <item><b>InnerProduct</b>: cosine similarity.</item>
/// <item><b>SplitProduct</b> (Somepalli et al. 2023): the normalised vector is cut into <see cref="Chunks"/>
/// equal consecutive chunks and the score is the largest of the chunk-wise dot products. For token outputs
/// stored as [tokens × dim] rows, one chunk is one token.</item>
/// <item><b>TiledL2</b> (Carlini et al. 2023): no normalisation; rows hold <see cref="Chunks"/> pixel tiles with values in
/// [0, 1]; the distance is the largest per-tile RMS difference, sqrt(‖q_t − g_t‖² / d_t), and the score is
/// 1 − distance, so that higher means closer (1 = identical tiles, 0 = a tile as different as black from white).</item>
/// </list>
/// </summary>
public sealed record Similarity(SimilarityKind Kind, int Chunks)
{
    public static Similarity InnerProduct { get; } = new(SimilarityKind.InnerProduct, 1);

    public static Similarity SplitProduct(int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunks);
        return new Similarity(SimilarityKind.SplitProduct, chunks);
    }

    public static Similarity TiledL2(int tiles)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tiles);
        return new Similarity(SimilarityKind.TiledL2, tiles);
    }

    /// <summary>Whether rows are L2-normalised before scoring (all but tiled ℓ2).</summary>
    public bool NormalizesRows => Kind != SimilarityKind.TiledL2;

    /// <summary>Parses "ip", "split" (with <paramref name="chunks"/>) or "tiled-l2" (with <paramref name="chunks"/> tiles).</summary>
    public static Similarity Parse(string name, int chunks) => name.Trim().ToLowerInvariant() switch
    {
        "ip" or "cosine" => InnerProduct,
        "split" or "split-product" => SplitProduct(chunks),
        "tiled-l2" or "tiledl2" => TiledL2(chunks),
        _ => throw new ArgumentException($"unknown similarity '{name}' (ip, split, tiled-l2)"),
    };

    /// <summary>Throws a clear error when <paramref name="dimension"/> cannot be split into the chunks.</summary>
    public void Validate(int dimension)
    {
        if (Kind != SimilarityKind.InnerProduct && dimension % Chunks != 0)
            throw new ArgumentException($"{this} with {Chunks} chunks needs a dimension divisible by {Chunks}; the embeddings have {dimension}");
    }

    public override string ToString() => Kind switch
    {
        SimilarityKind.InnerProduct => "ip",
        SimilarityKind.SplitProduct => $"split{Chunks}",
        _ => $"tiled-l2x{Chunks}",
    };
}
