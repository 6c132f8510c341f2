namespace Replication.Images;

/// <summary>
/// Finds files that end before their image data does, from their structure alone (no decoding), for the formats ImageSharp
/// would otherwise decode with the missing part left blank: PNG, GIF, WebP, TIFF and BMP (JPEG is checked by
/// <see cref="LibjpegTurboDecoder"/> as it decodes). Pillow refuses such files by default ("image file is truncated");
/// with <c>ImageFile.LOAD_TRUNCATED_IMAGES = True</c> it decodes what is there, except WebP, which libwebp refuses whole.
/// <list type="bullet">
/// <item>PNG: a chunk longer than the bytes left, or no chunk after the image data (a file cut after its last IDAT chunk
/// is refused although its image data may be whole; one cut inside IEND or later chunks is not).</item>
/// <item>GIF: the first frame (the one that is read) ends before its image data's terminator.</item>
/// <item>WebP: fewer bytes than the RIFF header declares.</item>
/// <item>TIFF: the first image's directory, or a strip or tile it lists, lies beyond the end (classic TIFF; BigTIFF is not checked).</item>
/// <item>BMP: uncompressed pixel rows beyond the end (RLE-compressed files are not checked).</item>
/// </list>
/// </summary>
public static class TruncatedImage
{
    /// <summary>Why the image file at <paramref name="path"/> is truncated, in words; null when it is whole or its format is not checked here.</summary>
    public static string? Reason(string path)
    {
        using var f = new FileBytes(path);
        return Reason(f);
    }

    /// <summary>Why the image held in <paramref name="bytes"/> is truncated, as <see cref="Reason(string)"/> says it for a file.</summary>
    public static string? Reason(byte[] bytes)
    {
        using var f = new FileBytes(new MemoryStream(bytes, writable: false));
        return Reason(f);
    }

    /// <summary>Whether <paramref name="bytes"/> hold a WebP image.</summary>
    public static bool IsWebP(byte[] bytes) => bytes.Length >= 12 && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WEBP"u8);

    /// <summary>Whether the file at <paramref name="path"/> is a WebP file (which Pillow refuses truncated even with LOAD_TRUNCATED_IMAGES).</summary>
    public static bool IsWebP(string path)
    {
        using var f = new FileBytes(path);
        return f.StartsWith("RIFF"u8) && f.Length >= 12 && f.Slice(8, 4).SequenceEqual("WEBP"u8);
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static string? Reason(FileBytes f)
    {
        try
        {
            if (f.StartsWith(PngSignature)) return Png(f);
            if (f.StartsWith("GIF87a"u8) || f.StartsWith("GIF89a"u8)) return Gif(f);
            if (f.StartsWith("RIFF"u8) && f.Length >= 12 && f.Slice(8, 4).SequenceEqual("WEBP"u8)) return WebP(f);
            if (f.StartsWith("II*\0"u8)) return Tiff(f, littleEndian: true);
            if (f.StartsWith("MM\0*"u8)) return Tiff(f, littleEndian: false);
            if (f.StartsWith("BM"u8)) return Bmp(f);
            return null;
        }
        catch (EndOfStreamException)
        {
            return "truncated: the file ends inside a header";
        }
    }

    private static string? Png(FileBytes f)
    {
        long at = 8;
        bool inData = false, afterData = false;
        while (at < f.Length)
        {
            if (at + 8 > f.Length) return afterData ? null : $"truncated PNG: the file ends inside a chunk header at byte {at}";
            uint length = f.U32(at, littleEndian: false);
            string type = System.Text.Encoding.ASCII.GetString(f.Slice(at + 4, 4));
            if (type == "IDAT") inData = true;
            else if (inData) afterData = true;
            if (at + 12 + length > f.Length)
                return afterData ? null : $"truncated PNG: the file ends inside its {type} chunk ({f.Length - at - 12} of {length} bytes)";
            if (type == "IEND") return null;
            at += 12 + length;
        }
        return afterData ? null : inData ? "truncated PNG: the file ends after image data with no chunk after it (no IEND)" : "truncated PNG: no image data (IDAT)";
    }

    private static string? Gif(FileBytes f)
    {
        const string Ends = "truncated GIF: the file ends before the first frame's image data does";
        long at = 13;
        if (f.Length < at) return Ends;
        if ((f[10] & 0x80) != 0) at += 3 << ((f[10] & 7) + 1); // global colour table
        while (true)
        {
            if (at >= f.Length) return Ends;
            byte block = f[at];
            if (block == 0x3B) return "truncated GIF: no frame before the trailer";
            if (block == 0x21) // extension: label, then sub-blocks
            {
                at += 2;
                if (SkipSubBlocks(f, ref at) is false) return Ends;
                continue;
            }
            if (block != 0x2C) return null; // not a structure this check knows: left to the decoder
            if (at + 10 > f.Length) return Ends;
            byte flags = f[at + 9];
            at += 10;
            if ((flags & 0x80) != 0) at += 3 << ((flags & 7) + 1); // local colour table
            at += 1; // LZW minimum code size
            return SkipSubBlocks(f, ref at) ? null : Ends;
        }
    }

    /// <summary>Skips data sub-blocks up to and including the zero-length terminator; false when the file ends first.</summary>
    private static bool SkipSubBlocks(FileBytes f, ref long at)
    {
        while (true)
        {
            if (at >= f.Length) return false;
            int size = f[at];
            at += 1 + size;
            if (size == 0) return true;
        }
    }

    private static string? WebP(FileBytes f)
    {
        long declared = f.U32(4, littleEndian: true) + 8L;
        return f.Length < declared ? $"truncated WebP: {f.Length} of the {declared} bytes its RIFF header declares" : null;
    }

    private static string? Tiff(FileBytes f, bool littleEndian)
    {
        uint U16(long at) => f.U16(at, littleEndian);
        uint U32(long at) => f.U32(at, littleEndian);
        long ifd = U32(4);
        if (ifd + 2 > f.Length) return $"truncated TIFF: its image directory (at byte {ifd}) lies beyond the end ({f.Length} bytes)";
        int entries = (int)U16(ifd);
        if (ifd + 2 + 12L * entries > f.Length) return "truncated TIFF: the file ends inside its image directory";
        var values = new Dictionary<int, long[]>();
        for (int i = 0; i < entries; i++)
        {
            long e = ifd + 2 + 12L * i;
            int tag = (int)U16(e), type = (int)U16(e + 2);
            long count = U32(e + 4);
            if (tag is not (273 or 279 or 324 or 325) || type is not (3 or 4)) continue;
            int size = type == 3 ? 2 : 4;
            long at = count * size <= 4 ? e + 8 : U32(e + 8);
            if (at + count * size > f.Length) return $"truncated TIFF: the list of tag {tag} lies beyond the end";
            if (count > 1 << 24) return null; // not a plausible image: left to the decoder
            var list = new long[count];
            for (long j = 0; j < count; j++) list[j] = size == 2 ? U16(at + 2 * j) : U32(at + 4 * j);
            values[tag] = list;
        }
        foreach (var (offsets, counts, what) in new[] { (273, 279, "strip"), (324, 325, "tile") })
            if (values.TryGetValue(offsets, out var o) && values.TryGetValue(counts, out var c))
                for (int i = 0; i < Math.Min(o.Length, c.Length); i++)
                    if (o[i] + c[i] > f.Length)
                        return $"truncated TIFF: {what} {i + 1} of {o.Length} ends at byte {o[i] + c[i]}, the file at {f.Length}";
        return null;
    }

    private static string? Bmp(FileBytes f)
    {
        if (f.Length < 30) return "truncated BMP: the file ends inside its header";
        long dataOffset = f.U32(10, true);
        uint headerSize = f.U32(14, true);
        if (headerSize < 40 || f.Length < 14 + 40) return null; // OS/2 headers: left to the decoder
        long width = (int)f.U32(18, true), height = Math.Abs((long)(int)f.U32(22, true));
        long bits = f.U16(28, true);
        uint compression = f.U32(30, true);
        if (compression is not (0 or 3 or 6) || width <= 0 || bits == 0) return null; // RLE, JPEG/PNG inside: not checked
        long stride = (width * bits + 31) / 32 * 4;
        long end = dataOffset + stride * height;
        return end > f.Length ? $"truncated BMP: pixel rows end at byte {end}, the file at {f.Length}" : null;
    }
}
