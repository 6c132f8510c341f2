namespace Replication.Embeddings;

/// <summary>
/// The output used as the embedding. <c>vector</c>: [batch, dim] (trailing singleton dimensions allowed);
/// <c>tokens</c>: [batch, tokens, dim], stored as one row of tokens × dim, one split-product chunk per token.
/// </summary>
public sealed record OutputSpec
{
    public required string Name { get; init; }
    public string Kind { get; init; } = "vector";
}
