namespace Replication.Core.Vectors;

/// <summary>Chosen rows of another vector source, in the order given (one class's images of a whole set, say).</summary>
public sealed class RowSubset : IVectorSource
{
    private readonly IVectorSource _source;
    private readonly long[] _rows;

    public RowSubset(IVectorSource source, IReadOnlyList<long> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var r in rows)
            if (r < 0 || r >= source.Count) throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} is outside 0..{source.Count - 1}");
        _source = source;
        _rows = rows.ToArray();
    }

    public long Count => _rows.Length;
    public int Dimension => _source.Dimension;
    public string Description => $"{_rows.Length} rows of {_source.Description}";

    /// <summary>The source row of row <paramref name="i"/> of this subset.</summary>
    public long SourceRow(long i) => _rows[i];

    public void ReadRows(long start, int count, Span<float> destination)
    {
        int d = Dimension;
        for (int i = 0; i < count; i++)
        {
            long row = _rows[start + i];
            // consecutive source rows are read together
            int run = 1;
            while (i + run < count && _rows[start + i + run] == row + run) run++;
            _source.ReadRows(row, run, destination.Slice(i * d, run * d));
            i += run - 1;
        }
    }
}
