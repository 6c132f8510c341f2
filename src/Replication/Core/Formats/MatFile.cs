using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Replication.Core.Formats;

/// <summary>
/// The variables of a MATLAB MAT-file, version 5 (what MATLAB writes with <c>-v6</c> and <c>-v7</c>, and
/// <c>scipy.io.savemat</c> by default), read for its real numeric arrays: the 128-byte header (either byte order), top-level
/// miMATRIX elements, possibly zlib-compressed inside miCOMPRESSED, array flags, dimensions, name and the real part in any
/// numeric storage type (MATLAB stores a double array of small integers as miUINT8, for example), including the
/// small-data-element form. Variables of other kinds are listed but refused when asked for (<see cref="Vector"/>), and files
/// of another version (v4, the HDF5-based v7.3) or malformed ones are refused at once: every message names the file.
/// No maintained MAT-file reader is served on this project's NuGet feed (MathNet.Numerics.Data.Matlab is not), hence this one.
/// </summary>
public sealed class MatFile
{
    /// <summary>The largest decompressed variable accepted (a guard against a zlib stream that inflates without end).</summary>
    public const int MaxElementBytes = 1 << 30;

    private const int HeaderBytes = 128;
    private const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7, MiDouble = 9,
        MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15, MiUtf8 = 16;

    private readonly string _path;
    private readonly bool _bigEndian;

    private MatFile(string path, bool bigEndian, string description)
    {
        _path = path;
        _bigEndian = bigEndian;
        Path = path;
        Description = description;
    }

    public string Path { get; }

    /// <summary>The header's descriptive text, e.g. <c>MATLAB 5.0 MAT-file, Platform: posix, Created on: …</c>.</summary>
    public string Description { get; }

    public IReadOnlyList<MatVariable> Variables { get; private set; } = [];

    public static MatFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found", path);
        var bytes = File.ReadAllBytes(path);
        var (bigEndian, description) = ReadHeader(path, bytes);
        var file = new MatFile(path, bigEndian, description);
        var variables = new List<MatVariable>();
        int pos = HeaderBytes;
        while (pos < bytes.Length)
        {
            if (bytes.Length - pos < 8)
            {
                if (bytes.AsSpan(pos).IndexOfAnyExcept((byte)0) < 0) break; // trailing padding
                throw file.Error(pos, "truncated (a data element's tag is cut off)");
            }
            uint type = file.U32(bytes, pos);
            long count = file.U32(bytes, pos + 4);
            if (count > bytes.Length - pos - 8)
                throw file.Error(pos, $"truncated (a data element of {count} bytes, {bytes.Length - pos - 8} left in the file)");
            var body = bytes.AsSpan(pos + 8, (int)count);
            switch (type)
            {
                case MiMatrix:
                    variables.Add(file.ParseMatrix(body, pos));
                    pos += 8 + Pad8((int)count);
                    break;
                case MiCompressed:
                    variables.Add(file.ParseCompressed(bytes, pos + 8, (int)count, pos));
                    pos += 8 + (int)count; // compressed elements are not padded
                    break;
                case 0 when count == 0:
                    pos += 8; // an empty tag: padding
                    break;
                default:
                    throw file.Error(pos, $"data element of type {type} ({TypeName(type)}) at the top level; a MAT-file v5 holds miMATRIX or miCOMPRESSED there");
            }
        }
        var duplicate = variables.GroupBy(v => v.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new InvalidDataException($"{path}: variable '{duplicate.Key}' appears twice");
        file.Variables = variables;
        return file;
    }

    /// <summary>The variable of this name, whatever its kind; an error naming the file and the names present if absent.</summary>
    public MatVariable Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Variables.FirstOrDefault(v => v.Name == name)
               ?? throw new InvalidDataException($"{_path}: no variable '{name}' (found: {(Variables.Count == 0 ? "none" : string.Join(", ", Variables.Select(v => v.Name)))})");
    }

    /// <summary>
    /// A real numeric variable with at most one dimension other than 1 (1×n, n×1, 1×1×n…), as doubles; anything else is
    /// refused with a message naming the file and what was found.
    /// </summary>
    public double[] Vector(string name)
    {
        var v = Get(name);
        if (v.Values is null)
            throw new InvalidDataException($"{_path}: variable '{name}' is {v.Unsupported}; expected a real numeric vector");
        if (v.Dimensions.Count(d => d != 1) > 1)
            throw new InvalidDataException($"{_path}: variable '{name}' is a {v.Size} {v.Class} matrix; expected a vector (1×n or n×1)");
        return v.Values;
    }

    private static (bool BigEndian, string Description) ReadHeader(string path, byte[] bytes)
    {
        bool text = bytes.Length >= 6 && bytes.AsSpan(0, 6).SequenceEqual("MATLAB"u8);
        if (!text)
        {
            if (LooksLikeVersion4(bytes))
                throw new InvalidDataException($"{path}: a MAT-file version 4 (no 128-byte 'MATLAB' header); only version 5 is read: save it with MATLAB -v7 or scipy.io.savemat(format='5')");
            throw new InvalidDataException($"{path}: not a MAT-file (it does not begin with the 'MATLAB' header text)");
        }
        if (bytes.Length < HeaderBytes)
            throw new InvalidDataException($"{path}: truncated MAT-file header ({bytes.Length} bytes of 128)");
        string description = Encoding.ASCII.GetString(bytes, 0, 116).TrimEnd(' ', '\0');
        bool bigEndian = (bytes[126], bytes[127]) switch
        {
            ((byte)'I', (byte)'M') => false,
            ((byte)'M', (byte)'I') => true,
            _ => throw new InvalidDataException($"{path}: MAT-file header has no byte-order mark ('IM' or 'MI' at byte 126)"),
        };
        ushort version = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(124)) : BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(124));
        if (version == 0x0200 || description.StartsWith("MATLAB 7.3", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: a MAT-file version 7.3 (HDF5); only version 5 is read: save it with MATLAB -v7 or scipy.io.savemat");
        if (version != 0x0100)
            throw new InvalidDataException($"{path}: MAT-file header version 0x{version:x4}; only version 5 (0x0100) is read");
        return (bigEndian, description);
    }

    /// <summary>A v4 file begins with a 4-byte type code MOPT (M in 0..4, O 0, P 0..5, T 0..2) in either byte order.</summary>
    private static bool LooksLikeVersion4(byte[] bytes)
    {
        if (bytes.Length < 20) return false;
        foreach (uint mopt in new[] { BinaryPrimitives.ReadUInt32LittleEndian(bytes), BinaryPrimitives.ReadUInt32BigEndian(bytes) })
        {
            uint m = mopt / 1000, o = mopt / 100 % 10, p = mopt / 10 % 10, t = mopt % 10;
            if (m <= 4 && o == 0 && p <= 5 && t <= 2) return true;
        }
        return false;
    }

    private MatVariable ParseCompressed(byte[] bytes, int start, int count, int at)
    {
        try
        {
            using var z = new ZLibStream(new MemoryStream(bytes, start, count, writable: false), CompressionMode.Decompress);
            var tag = new byte[8];
            if (z.ReadAtLeast(tag, 8, throwOnEndOfStream: false) < 8)
                throw Error(at, "compressed element holds no complete data element");
            uint type = U32(tag, 0);
            long inner = U32(tag, 4);
            if (type != MiMatrix)
                throw Error(at, $"compressed element holds a data element of type {type} ({TypeName(type)}), not miMATRIX");
            if (inner > MaxElementBytes)
                throw Error(at, $"compressed variable of {inner} bytes, more than the {MaxElementBytes} accepted");
            var body = new byte[inner];
            if (z.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length)
                throw Error(at, "compressed element ends before its variable does");
            return ParseMatrix(body, at);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(_path + ":", StringComparison.Ordinal))
        {
            throw Error(at, $"compressed element is not a valid zlib stream ({e.Message})");
        }
    }

    /// <summary>The body of a miMATRIX element: array flags, dimensions, name, then the real part for numeric classes.</summary>
    private MatVariable ParseMatrix(ReadOnlySpan<byte> body, int at)
    {
        if (body.Length == 0) return new MatVariable("", "empty", [0, 0], null, "an empty miMATRIX element");
        int pos = 0;
        int flagsType = SubElement(body, ref pos, at, "array flags", out var flags);
        if (flagsType != MiUInt32 || flags.Length < 8)
            throw Error(at, $"array flags are of type {flagsType} ({TypeName(flagsType)}) with {flags.Length} bytes; expected miUINT32 with 8");
        uint word = U32(flags, 0);
        int mxClass = (int)(word & 0xFF);
        bool complex = (word & 0x800) != 0, logical = (word & 0x200) != 0;
        int[] dims = [];
        if (mxClass != 17) // opaque objects have no dimensions element
        {
            int dimType = SubElement(body, ref pos, at, "dimensions", out var dimBytes);
            if (dimType != MiInt32 || dimBytes.Length % 4 != 0 || dimBytes.Length < 8)
                throw Error(at, $"dimensions are of type {dimType} ({TypeName(dimType)}) with {dimBytes.Length} bytes; expected miINT32 with at least two");
            dims = new int[dimBytes.Length / 4];
            for (int i = 0; i < dims.Length; i++)
            {
                dims[i] = (int)U32(dimBytes, 4 * i);
                if (dims[i] < 0) throw Error(at, $"negative dimension {dims[i]}");
            }
        }
        int nameType = SubElement(body, ref pos, at, "array name", out var nameBytes);
        if (nameType != MiInt8 && nameType != MiUtf8)
            throw Error(at, $"array name is of type {nameType} ({TypeName(nameType)}); expected miINT8");
        string name = Encoding.UTF8.GetString(nameBytes);
        string? kind = mxClass switch
        {
            1 => "a cell array",
            2 => "a struct",
            3 => "an object",
            4 => "a char array (text)",
            5 => "a sparse matrix",
            16 => "a function handle",
            17 => "an opaque object (a string, table, datetime…)",
            >= 6 and <= 15 when complex => "a complex array",
            >= 6 and <= 15 => null,
            _ => $"an array of unknown class {mxClass}",
        };
        string className = logical ? "logical" : ClassName(mxClass);
        if (kind != null) return new MatVariable(name, className, dims, null, $"{kind} ({Size(dims)})");

        long expected = 1;
        foreach (int d in dims) expected = (long)Math.Min((double)expected * d, 1L << 40); // saturates: the data length decides
        int dataType = SubElement(body, ref pos, at, $"data of '{name}'", out var data);
        int size = ElementSize(dataType);
        if (size == 0)
            throw Error(at, $"variable '{name}' stores its data as type {dataType} ({TypeName(dataType)}), not a numeric type");
        if (data.Length % size != 0 || data.Length / size != expected)
            throw Error(at, $"variable '{name}' is {Size(dims)} ({expected} elements) but stores {data.Length} bytes of {TypeName((uint)dataType)} ({data.Length / (double)size:0.#} elements)");
        var values = new double[expected];
        for (int i = 0; i < values.Length; i++)
        {
            var e = data.Slice(i * size, size);
            values[i] = dataType switch
            {
                MiInt8 => (sbyte)e[0],
                MiUInt8 => e[0],
                MiInt16 => (short)U16(e),
                MiUInt16 => U16(e),
                MiInt32 => (int)U32(e, 0),
                MiUInt32 => U32(e, 0),
                MiSingle => BitConverter.Int32BitsToSingle((int)U32(e, 0)),
                MiDouble => BitConverter.Int64BitsToDouble((long)U64(e)),
                MiInt64 => Exact((long)U64(e), name, at),
                _ => Exact(U64(e), name, at),
            };
        }
        return new MatVariable(name, className, dims, values, null);
    }

    private double Exact(long v, string name, int at) =>
        Math.Abs((double)v) <= 9007199254740992d ? v : throw Error(at, $"variable '{name}' holds {v}, beyond 2^53, which a double cannot hold exactly");

    private double Exact(ulong v, string name, int at) =>
        v <= 9007199254740992UL ? v : throw Error(at, $"variable '{name}' holds {v}, beyond 2^53, which a double cannot hold exactly");

    /// <summary>One sub-element of a miMATRIX, in the full (8-byte tag, padded to 8) or the small (4-byte tag + ≤4 bytes) form.</summary>
    private int SubElement(ReadOnlySpan<byte> body, ref int pos, int at, string what, out ReadOnlySpan<byte> data)
    {
        if (body.Length - pos < 8) throw Error(at, $"variable ends before its {what}");
        uint word = U32(body, pos);
        if (word >> 16 != 0)
        {
            int n = (int)(word >> 16);
            if (n > 4) throw Error(at, $"{what}: small data element claims {n} bytes (at most 4)");
            data = body.Slice(pos + 4, n);
            pos += 8;
            return (int)(word & 0xFFFF);
        }
        long count = U32(body, pos + 4);
        if (count > body.Length - pos - 8) throw Error(at, $"{what}: {count} bytes claimed, {body.Length - pos - 8} left in the variable");
        data = body.Slice(pos + 8, (int)count);
        pos = (int)Math.Min(body.Length, pos + 8 + Pad8((int)count));
        return (int)word;
    }

    private static int ElementSize(int type) => type switch
    {
        MiInt8 or MiUInt8 => 1,
        MiInt16 or MiUInt16 => 2,
        MiInt32 or MiUInt32 or MiSingle => 4,
        MiDouble or MiInt64 or MiUInt64 => 8,
        _ => 0,
    };

    private static string ClassName(int mxClass) => mxClass switch
    {
        1 => "cell", 2 => "struct", 3 => "object", 4 => "char", 5 => "sparse", 6 => "double", 7 => "single", 8 => "int8",
        9 => "uint8", 10 => "int16", 11 => "uint16", 12 => "int32", 13 => "uint32", 14 => "int64", 15 => "uint64",
        16 => "function_handle", 17 => "opaque", _ => $"class {mxClass}",
    };

    private static string TypeName(uint type) => type switch
    {
        1 => "miINT8", 2 => "miUINT8", 3 => "miINT16", 4 => "miUINT16", 5 => "miINT32", 6 => "miUINT32", 7 => "miSINGLE",
        9 => "miDOUBLE", 12 => "miINT64", 13 => "miUINT64", 14 => "miMATRIX", 15 => "miCOMPRESSED", 16 => "miUTF8",
        17 => "miUTF16", 18 => "miUTF32", _ => "unknown",
    };

    private static string TypeName(int type) => TypeName((uint)type);

    private static string Size(int[] dims) => dims.Length == 0 ? "no dimensions" : string.Join("×", dims);

    private static int Pad8(int n) => (n + 7) & ~7;

    private ushort U16(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private uint U32(ReadOnlySpan<byte> b, int at) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    private ulong U64(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);

    private InvalidDataException Error(int at, string message) =>
        new($"{_path}: {message} (MAT-file element at byte {at.ToString(CultureInfo.InvariantCulture)})");
}
