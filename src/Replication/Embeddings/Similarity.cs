using Replication.Core.Vectors;

namespace Replication.Embeddings;

/// <summary>
/// How two embeddings are compared.
/// <list type="bullet">
/// <item><b>InnerProduct</b> (<c>ip</c>): cosine similarity of L2-normalised vectors; an exact copy scores 1.</item>
/// <item><b>SplitProduct</b> (<c>split</c>, Somepalli et al. 2023, as their official code): the whole vector is L2-normalised,
/// cut into <see cref="Chunks"/> equal consecutive chunks, and the score is the largest chunk-wise dot product. For token
/// outputs stored as [tokens × dim] rows, one chunk is one token. An exact copy scores the largest chunk's share of the
/// squared norm (about 1/197 for 197 equal-norm ViT tokens), so this score has no fixed scale.</item>
/// <item><b>SplitCosine</b> (<c>split-cos</c>, our variant): each chunk L2-normalised on its own, the largest chunk cosine;
/// an exact copy scores 1 as with cosine.</item>
/// <item><b>TiledL2</b> (<c>tiled-l2</c>, Carlini et al. 2023): no normalisation; rows hold <see cref="Chunks"/> pixel tiles
/// with values in [0, 1]; the distance is the largest per-tile RMS difference, sqrt(‖q_t − g_t‖² / d_t), and the score is
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

    public static Similarity SplitCosine(int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunks);
        return new Similarity(SimilarityKind.SplitCosine, chunks);
    }

    public static Similarity TiledL2(int tiles)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tiles);
        return new Similarity(SimilarityKind.TiledL2, tiles);
    }

    /// <summary>Whether rows are L2-normalised (whole or per chunk) before scoring (all but tiled ℓ2).</summary>
    public bool NormalizesRows => Kind != SimilarityKind.TiledL2;

    /// <summary>Whether scores are chunk-wise maxima fed by the chunked graph (split, split-cos, tiled ℓ2).</summary>
    public bool IsChunked => Kind != SimilarityKind.InnerProduct;

    /// <summary>Whether an exact copy scores 1, so that scores live on the [0, 1] scale the paper's threshold and histograms use.
    /// False for the official split-product, whose exact-copy score depends on the data.</summary>
    public bool ExactCopyScoresOne => Kind != SimilarityKind.SplitProduct;

    /// <summary>The smallest and largest score the metric can produce.</summary>
    public (double Min, double Max) Range => Kind == SimilarityKind.TiledL2 ? (0, 1) : (-1, 1);

    /// <summary>Prepares rows for the search graph in place: whole-row normalisation (ip, split), per-chunk normalisation
    /// (split-cos) or nothing (tiled ℓ2).</summary>
    public void Prepare(Span<float> rows, int dimension)
    {
        switch (Kind)
        {
            case SimilarityKind.InnerProduct:
            case SimilarityKind.SplitProduct:
                VectorMath.NormalizeRows(rows, dimension);
                break;
            case SimilarityKind.SplitCosine:
                VectorMath.NormalizeRows(rows, dimension / Chunks);
                break;
        }
    }

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public const string Names = "ip, split, split-cos, tiled-l2";

    /// <summary>Parses "ip", "split" (with <paramref name="chunks"/>), "split-cos" (with <paramref name="chunks"/>) or
    /// "tiled-l2" (with <paramref name="chunks"/> tiles).</summary>
    public static Similarity Parse(string name, int chunks) => name.Trim().ToLowerInvariant() switch
    {
        "ip" or "cosine" => InnerProduct,
        "split" or "split-product" => SplitProduct(chunks),
        "split-cos" or "split-cosine" => SplitCosine(chunks),
        "tiled-l2" or "tiledl2" => TiledL2(chunks),
        _ => throw new ParameterException("Metric", name, $"unknown similarity ({Names})"),
    };

    /// <summary>Throws a clear error when <paramref name="dimension"/> cannot be split into the chunks.</summary>
    public void Validate(int dimension)
    {
        if (IsChunked && dimension % Chunks != 0)
            throw new ParameterException(nameof(Chunks), Chunks, $"{this} needs a dimension divisible by {Chunks}; the embeddings have {dimension}");
    }

    /// <summary>Throws when <paramref name="threshold"/> lies outside the metric's score range.</summary>
    public void ValidateThreshold(double threshold, string parameter = "Threshold")
    {
        var (min, max) = Range;
        if (!double.IsFinite(threshold) || threshold < min || threshold > max)
            throw new ParameterException(parameter, threshold, $"outside the range [{min}, {max}] of {this} scores");
    }

    /// <summary>Reads back what <see cref="ToString"/> wrote ("ip", "split16", "split-cos16", "tiled-l2x4"), as stored in result files.</summary>
    public static Similarity FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        static int Chunks(string digits, string name) =>
            int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int c) && c > 0
                ? c
                : throw new InputDataException($"'{name}' is not a similarity name ({Names}, with the chunk count: split16)");
        if (name == "ip") return InnerProduct;
        if (name.StartsWith("split-cos", StringComparison.Ordinal)) return SplitCosine(Chunks(name["split-cos".Length..], name));
        if (name.StartsWith("split", StringComparison.Ordinal)) return SplitProduct(Chunks(name["split".Length..], name));
        if (name.StartsWith("tiled-l2x", StringComparison.Ordinal)) return TiledL2(Chunks(name["tiled-l2x".Length..], name));
        throw new InputDataException($"'{name}' is not a similarity name ({Names})");
    }

    public override string ToString() => Kind switch
    {
        SimilarityKind.InnerProduct => "ip",
        SimilarityKind.SplitProduct => $"split{Chunks}",
        SimilarityKind.SplitCosine => $"split-cos{Chunks}",
        _ => $"tiled-l2x{Chunks}",
    };
}
