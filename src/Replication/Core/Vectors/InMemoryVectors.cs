namespace Replication.Core.Vectors;

/// <summary>Row vectors held in a row-major array.</summary>
public sealed class InMemoryVectors : IVectorSource
{
    private readonly float[] _data;

    public InMemoryVectors(float[] data, int dimension, string description = "memory")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (data.Length % dimension != 0)
            throw new ArgumentException($"{description}: {data.Length} values are not a whole number of {dimension}-dimensional rows");
        _data = data;
        Dimension = dimension;
        Description = description;
    }

    public long Count => _data.Length / Dimension;
    public int Dimension { get; }
    public string Description { get; }

    public void ReadRows(long start, int count, Span<float> destination) =>
        _data.AsSpan(checked((int)(start * Dimension)), count * Dimension).CopyTo(destination);
}
