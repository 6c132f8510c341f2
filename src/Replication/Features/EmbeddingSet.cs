using Replication.Imaging;

namespace Replication.Features;

/// <summary>Embeddings of a set of images: row i of <see cref="Vectors"/> belongs to <see cref="Images"/>[i].</summary>
public sealed record EmbeddingSet(IReadOnlyList<ImageRecord> Images, float[] Vectors, int RowLength, int Chunks, IReadOnlyList<SkippedImage> Skipped, string ModelName)
{
    public int Count => Images.Count;
}
