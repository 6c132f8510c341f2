using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Replication.Core.Formats;

/// <summary>
/// The parsed header of a NumPy <c>.npy</c> file holding a 1-D or 2-D array. Every field is checked (dimensions non-negative
/// and in range, rows × columns × element size without overflow and within the file) before anything is allocated.
/// </summary>
/// <param name="Descr">The NumPy dtype string, e.g. <c>&lt;f4</c>.</param>
/// <param name="Rows">First dimension.</param>
/// <param name="Columns">Second dimension (1 for a 1-D array).</param>
/// <param name="DataOffset">Byte offset of the first element.</param>
public sealed partial record NpyHeader(string Descr, long Rows, int Columns, long DataOffset)
{
    public static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Total size of a format-1.0 header this project writes (a multiple of 64 as NumPy requires).</summary>
    public const int WrittenHeaderBytes = 128;

    public int ElementSize => Descr[^1] - '0';

    /// <summary>Builds a fixed-size format-1.0 header for a C-ordered little-endian float32 matrix.</summary>
    public static byte[] Float32Header(long rows, int columns)
    {
        string dict = string.Create(CultureInfo.InvariantCulture,
            $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        int padded = WrittenHeaderBytes - 10;
        if (dict.Length + 1 > padded)
            throw new ArgumentOutOfRangeException(nameof(rows), "shape too large for the npy header");
        var text = dict.PadRight(padded - 1) + "\n";
        var header = new byte[WrittenHeaderBytes];
        Magic.CopyTo(header, 0);
        header[6] = 1;
        header[7] = 0;
        header[8] = (byte)(padded & 0xFF);
        header[9] = (byte)(padded >> 8);
        Encoding.ASCII.GetBytes(text, 0, text.Length, header, 10);
        return header;
    }

    /// <summary>Reads and validates the header of an npy stream; <paramref name="path"/> is used in error messages.</summary>
    public static NpyHeader Read(Stream stream, string path)
    {
        Span<byte> pre = stackalloc byte[8];
        if (stream.ReadAtLeast(pre, 8, throwOnEndOfStream: false) < 8 || !pre[..6].SequenceEqual(Magic))
            throw new InputDataException($"{path}: not a NumPy .npy file (bad magic string)");
        int major = pre[6];
        int lenBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new InputDataException($"{path}: unsupported .npy format version {major}.{pre[7]}"),
        };
        Span<byte> lenBuf = stackalloc byte[4];
        lenBuf.Clear();
        if (stream.ReadAtLeast(lenBuf[..lenBytes], lenBytes, throwOnEndOfStream: false) < lenBytes)
            throw new InputDataException($"{path}: truncated .npy header");
        long headerLen = BitConverter.ToUInt32(lenBuf);
        if (headerLen > 1 << 20)
            throw new InputDataException($"{path}: implausible .npy header length {headerLen}");
        var text = new byte[headerLen];
        if (stream.ReadAtLeast(text, text.Length, throwOnEndOfStream: false) < text.Length)
            throw new InputDataException($"{path}: truncated .npy header");
        string dict = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text);
        long offset = 6 + 2 + lenBytes + headerLen;

        var descr = DescrPattern().Match(dict);
        var order = OrderPattern().Match(dict);
        var shape = ShapePattern().Match(dict);
        if (!descr.Success || !order.Success || !shape.Success)
            throw new InputDataException($"{path}: malformed .npy header: {dict.Trim()}");
        if (order.Groups[1].Value == "True")
            throw new InputDataException($"{path}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        string d = descr.Groups[1].Value;
        if (d is not ("<f4" or "<f8" or "<f2" or "|u1"))
            throw new InputDataException($"{path}: dtype '{d}' is not supported (expected little-endian float32, float64, float16, or uint8)");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length is not (1 or 2))
            throw new InputDataException(dims.Length == 0
                ? $"{path}: malformed shape ({shape.Groups[1].Value}): a 1-D or 2-D array is expected"
                : $"{path}: shape ({shape.Groups[1].Value}) is a {dims.Length}-D array; a 1-D or 2-D array (rows, dimension) is expected (reshape it to 2-D explicitly)");
        long rows = Dimension(dims[0], path, shape.Groups[1].Value);
        long columns = dims.Length == 2 ? Dimension(dims[1], path, shape.Groups[1].Value) : 1;
        if (columns > int.MaxValue)
            throw new InputDataException($"{path}: shape ({shape.Groups[1].Value}): {columns} columns is out of range (at most {int.MaxValue})");
        var header = new NpyHeader(d, rows, (int)columns, offset);
        long expected;
        try
        {
            expected = checked(offset + rows * columns * header.ElementSize);
        }
        catch (OverflowException)
        {
            throw new InputDataException($"{path}: shape ({shape.Groups[1].Value}) overflows: {rows} × {columns} elements of {header.ElementSize} bytes exceed any file size");
        }
        long length = stream.CanSeek ? stream.Length : throw new InputDataException($"{path}: cannot check the data size against the header (stream not seekable)");
        if (length < expected)
            throw new InputDataException($"{path}: file is truncated: shape ({rows}, {columns}) needs {expected} bytes, file has {length}");
        return header;
    }

    private static long Dimension(string text, string path, string shape)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
            throw new InputDataException(text.StartsWith('-') && text.Length > 1 && text[1..].All(char.IsAsciiDigit)
                ? $"{path}: shape ({shape}) has a negative dimension {text}"
                : $"{path}: malformed shape ({shape})");
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw new InputDataException($"{path}: shape ({shape}): dimension {text} is out of range");
        return value;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex OrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
