using Replication.Images;

namespace Replication.Embeddings;

/// <summary>Embeddings of a set of images: row i of <see cref="Vectors"/> belongs to <see cref="Images"/>[i].</summary>
/// <param name="Warnings">Embedded images that deserve a look (near-constant ones).</param>
public sealed record EmbeddingSet(IReadOnlyList<ImageRecord> Images, float[] Vectors, int RowLength, int Chunks, IReadOnlyList<SkippedImage> Skipped, string ModelName,
    IReadOnlyList<ImageWarning>? Warnings = null)
{
    public IReadOnlyList<ImageWarning> WarningsOrEmpty => Warnings ?? [];

    public int Count => Images.Count;
}
