using System.Runtime.InteropServices;
using Replication.Core.Files;

namespace Replication.Core.Formats;

/// <summary>
/// Streams rows of a float32 matrix into a NumPy format-1.0 <c>.npy</c> file. The row count need not be
/// known in advance: the fixed-size header is rewritten on <see cref="Commit"/>, and the file only
/// appears under its final name then.
/// </summary>
public sealed class NpyWriter : IDisposable
{
    private readonly AtomicFile _file;

    public NpyWriter(string path, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Columns = columns;
        _file = AtomicFile.Create(path);
        _file.Stream.Write(NpyHeader.Float32Header(0, columns));
    }

    public int Columns { get; }
    public long Rows { get; private set; }

    public void WriteRows(ReadOnlySpan<float> rows)
    {
        if (rows.Length % Columns != 0)
            throw new ArgumentException($"row data length {rows.Length} is not a multiple of {Columns} columns", nameof(rows));
        _file.Stream.Write(MemoryMarshal.AsBytes(rows));
        Rows += rows.Length / Columns;
    }

    public void Commit()
    {
        _file.Stream.Position = 0;
        _file.Stream.Write(NpyHeader.Float32Header(Rows, Columns));
        _file.Commit();
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Writes a whole row-major matrix.</summary>
    public static void Write(string path, ReadOnlySpan<float> data, int columns)
    {
        using var w = new NpyWriter(path, columns);
        w.WriteRows(data);
        w.Commit();
    }
}
