namespace Replication.Search;

/// <summary>
/// How two embeddings are compared. Both kinds L2-normalise the whole vector first.
/// <list type="bullet">
/// <item><b>InnerProduct</b>: cosine similarity.</item>
/// <item><b>SplitProduct</b> (Somepalli et al. 2023): the normalised vector is cut into <see cref="Chunks"/>
/// equal consecutive chunks and the score is the largest of the chunk-wise dot products. For token outputs
/// stored as [tokens × dim] rows, one chunk is one token.</item>
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

    /// <summary>Throws a clear error when <paramref name="dimension"/> cannot be split into the chunks.</summary>
    public void Validate(int dimension)
    {
        if (Kind == SimilarityKind.SplitProduct && dimension % Chunks != 0)
            throw new ArgumentException($"split-product with {Chunks} chunks needs a dimension divisible by {Chunks}; the embeddings have {dimension}");
    }

    public override string ToString() => Kind == SimilarityKind.InnerProduct ? "ip" : $"split{Chunks}";
}
