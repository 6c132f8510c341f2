using System.Buffers.Binary;

namespace Replication.Images;

/// <summary>
/// Random access to a file's bytes through a 64 KiB window, for structure checks that jump through a file (chunk headers,
/// directories) without reading it whole. Reading past the end throws <see cref="EndOfStreamException"/>.
/// </summary>
internal sealed class FileBytes : IDisposable
{
    private const int Window = 1 << 16;
    private readonly Stream _stream;
    private readonly byte[] _window = new byte[Window];
    private long _start = -1;
    private int _count;

    public FileBytes(string path) : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
    {
    }

    /// <summary>The bytes of an image held in memory (an entry of a tar shard); the stream is owned and disposed.</summary>
    public FileBytes(Stream seekable)
    {
        _stream = seekable;
        Length = _stream.Length;
    }

    public long Length { get; }

    public byte this[long at] => Slice(at, 1)[0];

    /// <summary><paramref name="count"/> bytes from <paramref name="at"/> (at most a few KiB: a header field, not data).</summary>
    public ReadOnlySpan<byte> Slice(long at, int count)
    {
        if (at < 0 || at + count > Length) throw new EndOfStreamException($"bytes {at}..{at + count} beyond the end ({Length})");
        if (at < _start || at + count > _start + _count)
        {
            _start = at;
            _stream.Position = at;
            _count = _stream.ReadAtLeast(_window, (int)Math.Min(Window, Length - at), throwOnEndOfStream: false);
            if (_count < count) throw new EndOfStreamException($"bytes {at}..{at + count} could not be read");
        }
        return _window.AsSpan((int)(at - _start), count);
    }

    public bool StartsWith(ReadOnlySpan<byte> prefix) => Length >= prefix.Length && Slice(0, prefix.Length).SequenceEqual(prefix);

    public uint U16(long at, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(Slice(at, 2)) : BinaryPrimitives.ReadUInt16BigEndian(Slice(at, 2));

    public uint U32(long at, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(Slice(at, 4)) : BinaryPrimitives.ReadUInt32BigEndian(Slice(at, 4));

    public void Dispose() => _stream.Dispose();
}
