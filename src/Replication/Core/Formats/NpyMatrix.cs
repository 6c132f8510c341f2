using System.Runtime.InteropServices;
using Replication.Core.Vectors;

namespace Replication.Core.Formats;

/// <summary>
/// A read-only 2-D <c>.npy</c> matrix read block by block with positioned reads, so a gallery far
/// larger than memory can be streamed block by block; float16/float64 files are converted on read.
/// </summary>
public sealed class NpyMatrix : IVectorSource, IDisposable
{
    private readonly FileStream _stream;

    private NpyMatrix(string path, NpyHeader header, FileStream stream)
    {
        Path = path;
        Header = header;
        _stream = stream;
    }

    public string Path { get; }
    public NpyHeader Header { get; }
    public long Rows => Header.Rows;
    public int Columns => Header.Columns;
    long IVectorSource.Count => Rows;
    int IVectorSource.Dimension => Columns;
    public string Description => Path;

    /// <summary>Opens an npy file; throws <see cref="InputDataException"/> naming the file when it is not a valid 2-D float matrix.</summary>
    public static NpyMatrix Open(string path)
    {
        if (!File.Exists(path))
            throw new InputMissingException($"{path}: embedding file not found", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var header = NpyHeader.Read(stream, path);
            return new NpyMatrix(path, header, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Loads a whole npy file into a new array (row-major).</summary>
    public static float[] ReadAll(string path, out long rows, out int columns)
    {
        using var m = Open(path);
        rows = m.Rows;
        columns = m.Columns;
        if (m.Rows * m.Columns > Array.MaxLength) // no overflow: the header check bounds rows × columns by the file size
            throw new InputDataException($"{path}: {m.Rows} × {m.Columns} values do not fit in one array; read it block by block (NpyMatrix.ReadRows)");
        var data = new float[m.Rows * m.Columns];
        m.ReadRows(0, (int)m.Rows, data);
        return data;
    }

    /// <summary>Copies <paramref name="count"/> rows starting at <paramref name="start"/> into <paramref name="destination"/>.</summary>
    public void ReadRows(long start, int count, Span<float> destination)
    {
        if (start < 0 || count < 0 || start + count > Rows)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} outside 0..{Rows}");
        long elements = (long)count * Columns;
        if (destination.Length < elements)
            throw new ArgumentException("destination too small", nameof(destination));
        if (elements == 0)
            return;
        if (Header.Descr == "<f4")
        {
            // positioned reads, not a memory map: resident memory stays at the caller's buffers whatever the file size;
            // at most 1 GiB a read, since a span of bytes cannot be longer than 2 GiB
            long done = 0;
            long offset = Header.DataOffset + start * Columns * 4L;
            while (done < elements)
            {
                int n = (int)Math.Min(elements - done, 1 << 28);
                var bytes = MemoryMarshal.AsBytes(destination.Slice(checked((int)done), n));
                while (bytes.Length > 0)
                {
                    int read = RandomAccess.Read(_stream.SafeFileHandle, bytes, offset);
                    if (read <= 0) throw new InputDataException($"{Path}: file ends before row {start + count}");
                    bytes = bytes[read..];
                    offset += read;
                }
                done += n;
            }
            return;
        }
        // other element types: converted in pieces of at most 4M elements, each read to the end
        int size = Header.ElementSize;
        const int piece = 1 << 22;
        var buffer = new byte[(int)Math.Min(elements, piece) * size];
        long at = Header.DataOffset + start * Columns * (long)size;
        for (long done = 0; done < elements;)
        {
            int n = (int)Math.Min(elements - done, piece);
            var bytes = buffer.AsSpan(0, n * size);
            for (int filled = 0; filled < bytes.Length;)
            {
                int read = RandomAccess.Read(_stream.SafeFileHandle, bytes[filled..], at + filled);
                if (read <= 0) throw new InputDataException($"{Path}: file ends before row {start + count}");
                filled += read;
            }
            var dst = destination.Slice(checked((int)done), n);
            if (size == 8)
            {
                var src = MemoryMarshal.Cast<byte, double>(bytes);
                for (int i = 0; i < n; i++) dst[i] = (float)src[i];
            }
            else if (size == 1)
            {
                for (int i = 0; i < n; i++) dst[i] = bytes[i];
            }
            else
            {
                var src = MemoryMarshal.Cast<byte, Half>(bytes);
                for (int i = 0; i < n; i++) dst[i] = (float)src[i];
            }
            done += n;
            at += (long)n * size;
        }
    }

    public void Dispose() => _stream.Dispose();
}
