using System.Buffers;
using SkiaSharp;

namespace Replication.Images;

/// <summary>
/// Decodes JPEG with libjpeg-turbo (the one inside SkiaSharp's native library, through <see cref="SKCodec"/>), so that
/// the pixels are those of <c>PIL.Image.open(p).convert("RGB")</c> on Pillow built with libjpeg-turbo: libjpeg-turbo's
/// default accurate integer IDCT (islow) and "fancy" (triangular) chroma upsampling, which SkJpegCodec leaves as
/// they are. Measured bit-identical to Pillow 9.4 / libjpeg-turbo 2.1.5 on the fixtures of
/// <c>tests/Replication.Tests/fixtures/make_jpeg_fixtures.py</c> (baseline 4:2:0, 4:2:2, 4:4:4, progressive,
/// grayscale, CMYK, YCCK, restart markers).
/// <list type="bullet">
/// <item>No colour management: the destination has no colour space, so an embedded ICC profile is ignored, as PIL's
/// <c>convert("RGB")</c> ignores it.</item>
/// <item>EXIF orientation is read by Skia but not applied (SKCodec never rotates), as in PIL/torchvision.</item>
/// <item>CMYK and YCCK (Adobe): libjpeg-turbo gives Adobe-inverted CMYK (YCCK converted by libjpeg-turbo), which Skia
/// turns into RGB as R = C·K/255 etc.; Pillow assumes the same Adobe polarity and gives the same bytes.</item>
/// <item>Truncated files are refused (Skia reports incomplete input), as Pillow refuses them by default. With
/// <c>acceptTruncated</c> the rows that are there are decoded and the missing rows are mid-grey (128), as libjpeg-turbo leaves
/// them in Pillow with <c>LOAD_TRUNCATED_IMAGES</c> (its missing blocks decode as zero coefficients); a truncated
/// progressive file is decoded whole by Skia with what it has.</item>
/// </list>
/// Each call owns its codec, so calls may run in parallel.
/// </summary>
internal static class LibjpegTurboDecoder
{
    /// <summary>Rows decoded per call into native code (a strip of RGBA, then repacked as RGB).</summary>
    private const int StripRows = 16;

    /// <summary>Whether the first bytes are a JPEG's (SOI followed by a marker), the test Pillow and Skia use.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> head) => head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;

    public static RgbImage Decode(string path, long maxPixels, bool acceptTruncated = false)
    {
        using var codec = SKCodec.Create(path, out SKCodecResult created);
        return Decode(codec, created, path, () => EndsWithEndOfImage(path), maxPixels, acceptTruncated);
    }

    /// <summary>Decodes a JPEG held in memory (an entry of a tar shard); <paramref name="name"/> names it in messages.</summary>
    public static RgbImage Decode(byte[] bytes, string name, long maxPixels, bool acceptTruncated = false)
    {
        // SKCodec takes ownership of the stream; the stream reads the array in place
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out SKCodecResult created);
        return Decode(codec, created, name, () => bytes.Length >= 2 && bytes[^2] == 0xFF && bytes[^1] == 0xD9, maxPixels, acceptTruncated);
    }

    private static RgbImage Decode(SKCodec? codec, SKCodecResult created, string path, Func<bool> endsWithEndOfImage, long maxPixels, bool acceptTruncated)
    {
        if (codec is null)
            throw new ImageDecodeException(path, created == SKCodecResult.IncompleteInput
                ? "truncated JPEG (the header is incomplete)"
                : $"cannot decode: not a valid JPEG header ({created})");
        var info = codec.Info;
        if ((long)info.Width * info.Height > maxPixels)
            throw new ImageDecodeException(path, $"{info.Width}x{info.Height} pixels exceeds the limit of {maxPixels} (possible decompression bomb)");

        // RGBA (libjpeg-turbo's JCS_EXT_RGBA), unpremultiplied, no colour space: no colour transform at all.
        var rgba = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, null);
        var start = codec.StartScanlineDecode(rgba);
        if (start != SKCodecResult.Success && acceptTruncated && Truncated(start, endsWithEndOfImage))
            return DecodeWhole(codec, rgba, path);
        if (start != SKCodecResult.Success)
            throw new ImageDecodeException(path, Explain(start, endsWithEndOfImage));

        RgbImage result;
        try
        {
            result = RgbImage.Create(info.Width, info.Height);
        }
        catch (OutOfMemoryException e)
        {
            throw new ImageDecodeException(path, $"cannot decode: not enough memory for {info.Width}x{info.Height} pixels", e);
        }
        int rowBytes = info.Width * 4;
        byte[] strip = ArrayPool<byte>.Shared.Rent(rowBytes * StripRows);
        try
        {
            for (int y = 0; y < info.Height; y += StripRows)
            {
                int rows = Math.Min(StripRows, info.Height - y);
                int got;
                unsafe
                {
                    fixed (byte* p = strip)
                        got = codec.GetScanlines((IntPtr)p, rows, rowBytes);
                }
                if (got < rows && acceptTruncated)
                {
                    RgbaToRgb(strip.AsSpan(0, got * rowBytes), result.Pixels.AsSpan(y * result.Stride, got * result.Stride));
                    result.Pixels.AsSpan((y + got) * result.Stride).Fill(128);
                    break;
                }
                if (got < rows)
                    throw new ImageDecodeException(path, $"truncated JPEG: image data ends at row {y + got} of {info.Height} (Pillow refuses truncated files too; accepting truncated images decodes what is there)");
                RgbaToRgb(strip.AsSpan(0, rows * rowBytes), result.Pixels.AsSpan(y * result.Stride, rows * result.Stride));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(strip);
        }
        return result;
    }

    private static bool Truncated(SKCodecResult r, Func<bool> endsWithEndOfImage) =>
        r == SKCodecResult.IncompleteInput || (r is SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput && !endsWithEndOfImage());

    /// <summary>A truncated file that the scanline decoder cannot start on (progressive): Skia decodes the whole image with what there is.</summary>
    private static RgbImage DecodeWhole(SKCodec codec, SKImageInfo rgba, string path)
    {
        var buffer = new byte[(long)rgba.Width * rgba.Height * 4];
        SKCodecResult r;
        unsafe
        {
            fixed (byte* p = buffer)
                r = codec.GetPixels(rgba, (IntPtr)p);
        }
        if (r is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new ImageDecodeException(path, $"truncated JPEG that cannot be decoded even in part ({r})");
        var result = RgbImage.Create(rgba.Width, rgba.Height);
        RgbaToRgb(buffer, result.Pixels);
        return result;
    }

    private static string Explain(SKCodecResult r, Func<bool> endsWithEndOfImage) => r switch
    {
        SKCodecResult.IncompleteInput => "truncated JPEG (Pillow refuses truncated files too)",
        // a progressive file is read whole before the first row, so its truncation surfaces here as invalid input
        SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => endsWithEndOfImage()
            ? "cannot decode: corrupt JPEG data"
            : "truncated or corrupt JPEG (no end-of-image marker; Pillow refuses truncated files too)",
        SKCodecResult.Unimplemented or SKCodecResult.InvalidConversion => "cannot decode: a JPEG variant that libjpeg-turbo here does not decode",
        _ => $"cannot decode: {r}",
    };

    private static bool EndsWithEndOfImage(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        if (stream.Length < 2) return false;
        stream.Seek(-2, SeekOrigin.End);
        return stream.ReadByte() == 0xFF && stream.ReadByte() == 0xD9;
    }

    private static void RgbaToRgb(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }
    }
}
