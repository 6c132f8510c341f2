namespace Replication.Core.Vectors;

/// <summary>Several vector sources of one dimension read as one matrix, e.g. a gallery sharded over many npy files.</summary>
public sealed class ConcatenatedVectors : IVectorSource
{
    private readonly IVectorSource[] _parts;
    private readonly long[] _starts;

    public ConcatenatedVectors(IReadOnlyList<IVectorSource> parts)
    {
        if (parts.Count == 0)
            throw new ArgumentException("no vector sources given");
        Dimension = parts[0].Dimension;
        foreach (var p in parts)
            if (p.Dimension != Dimension)
                throw new InputDataException($"{p.Description}: dimension {p.Dimension} does not match {parts[0].Description} ({Dimension})");
        _parts = parts.ToArray();
        _starts = new long[_parts.Length + 1];
        for (int i = 0; i < _parts.Length; i++) _starts[i + 1] = _starts[i] + _parts[i].Count;
        Description = string.Join("+", _parts.Select(p => p.Description));
    }

    public long Count => _starts[^1];
    public int Dimension { get; }
    public string Description { get; }

    public void ReadRows(long start, int count, Span<float> destination)
    {
        while (count > 0)
        {
            int part = Array.BinarySearch(_starts, start);
            if (part < 0) part = ~part - 1;
            while (_starts[part + 1] <= start) part++;
            long local = start - _starts[part];
            int take = (int)Math.Min(count, _parts[part].Count - local);
            _parts[part].ReadRows(local, take, destination[..(take * Dimension)]);
            destination = destination[(take * Dimension)..];
            start += take;
            count -= take;
        }
    }
}
