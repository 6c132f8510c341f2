namespace Replication.Core.Vectors;

/// <summary>A read-only matrix of row vectors that can be streamed in blocks (an npy file, several, or memory).</summary>
public interface IVectorSource
{
    long Count { get; }
    int Dimension { get; }

    /// <summary>A short name for error messages (a file path, "memory").</summary>
    string Description { get; }

    void ReadRows(long start, int count, Span<float> destination);
}
