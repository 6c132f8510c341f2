namespace Replication.Embeddings;

/// <summary>Where an embedding run stands.</summary>
public sealed record EmbeddingProgress(int Done, int Total, int Skipped, double ImagesPerSecond)
{
    public TimeSpan? Remaining => ImagesPerSecond > 0 ? TimeSpan.FromSeconds((Total - Done) / ImagesPerSecond) : null;
}
