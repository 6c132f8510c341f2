using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Images;

/// <summary>
/// Decodes an image file to 8-bit RGB the way <c>PIL.Image.open(p).convert("RGB")</c> does: palettes are looked up,
/// grayscale is replicated to three channels, only the first frame of an animation is read, and EXIF orientation is
/// <b>not</b> applied (torchvision does not apply it either). Transparency follows <see cref="AlphaHandling"/>: by default
/// composited onto white as Pillow's <c>alpha_composite</c> would (clip art stores black under transparent pixels, which
/// <c>convert("RGB")</c> shows); <see cref="AlphaHandling.Drop"/> keeps <c>convert("RGB")</c>'s behaviour exactly.
/// 16-bit images are scaled to 8 bits (PIL truncates 16-bit RGB to the high byte, within one level of this;
/// for 16-bit grayscale PIL clips to 255, which this decoder deliberately does not copy).
/// JPEG is decoded by libjpeg-turbo (<see cref="LibjpegTurboDecoder"/>), like Pillow; every other format by ImageSharp.
/// Truncated files are refused, as Pillow refuses them by default (<see cref="TruncatedImage"/>); with <c>acceptTruncated</c>
/// (Pillow's <c>ImageFile.LOAD_TRUNCATED_IMAGES = True</c>) what is there is decoded, except WebP, which Pillow refuses either way.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Pillow's decompression-bomb limit (Image.MAX_IMAGE_PIXELS).</summary>
    public const long DefaultMaxPixels = 89_478_485;

    private static readonly Configuration Config = Configuration.Default.Clone();

    private static int _jpegFallbackWarned;

    public static RgbImage Decode(string path, long maxPixels = DefaultMaxPixels, AlphaHandling? alpha = null, bool acceptTruncated = false)
    {
        alpha ??= AlphaHandling.White;
        CheckFile(path);
        if (StartsLikeJpeg(path) && TryJpeg(() => LibjpegTurboDecoder.Decode(path, maxPixels, acceptTruncated)) is { } jpeg)
            return jpeg;
        return DecodeWithImageSharp(path, maxPixels, alpha, acceptTruncated);
    }

    /// <summary>
    /// Decodes an image held in memory (an entry of a tar shard: it is never written to disk) exactly as <see cref="Decode(string, long, AlphaHandling?, bool)"/>
    /// decodes the same bytes from a file; <paramref name="name"/> names the image in messages (<c>shard.tar:key.jpg</c>).
    /// </summary>
    public static RgbImage Decode(byte[] bytes, string name, long maxPixels = DefaultMaxPixels, AlphaHandling? alpha = null, bool acceptTruncated = false)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrEmpty(name);
        alpha ??= AlphaHandling.White;
        if (bytes.Length == 0)
            throw new ImageDecodeException(name, "empty file (0 bytes)");
        if (LibjpegTurboDecoder.IsJpeg(bytes) && TryJpeg(() => LibjpegTurboDecoder.Decode(bytes, name, maxPixels, acceptTruncated)) is { } jpeg)
            return jpeg;
        return DecodeWithImageSharp(name, () => new MemoryStream(bytes, writable: false), () => TruncatedImage.Reason(bytes), () => TruncatedImage.IsWebP(bytes),
            maxPixels, alpha, acceptTruncated);
    }

    /// <summary>libjpeg-turbo's result, or null (said once per process) when SkiaSharp is missing and ImageSharp must decode instead.</summary>
    private static RgbImage? TryJpeg(Func<RgbImage> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException
                                      || (e is FileNotFoundException or FileLoadException && e.Message.Contains("SkiaSharp", StringComparison.Ordinal)))
        {
            // SkiaSharp (its native library, or the assembly in a host that did not load it) is missing: ImageSharp's JPEG decoder
            // still works, but not bit-exact with Pillow (up to ~150 levels apart at sharp colour edges). Said once per process.
            if (Interlocked.Exchange(ref _jpegFallbackWarned, 1) == 0)
                Console.Error.WriteLine($"warning: libjpeg-turbo (SkiaSharp) unavailable ({e.GetBaseException().Message.Split('\n')[0]}); decoding JPEG with ImageSharp, which differs from Pillow (most at sharp colour edges)");
            return null;
        }
    }

    /// <summary>
    /// The ImageSharp path for every format, JPEG included (ImageSharp's own JPEG decoder: mean 0.2–1 level from Pillow
    /// on photos, up to 159 levels at sharp chroma edges). Kept for <c>bench</c>'s JPEG speed comparison and as the fallback above.
    /// </summary>
    internal static RgbImage DecodeWithImageSharp(string path, long maxPixels = DefaultMaxPixels, AlphaHandling? alpha = null, bool acceptTruncated = false)
    {
        CheckFile(path);
        return DecodeWithImageSharp(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16),
            () => TruncatedImage.Reason(path), () => TruncatedImage.IsWebP(path), maxPixels, alpha, acceptTruncated);
    }

    private static RgbImage DecodeWithImageSharp(string path, Func<Stream> open, Func<string?> truncatedReason, Func<bool> isWebP,
        long maxPixels, AlphaHandling? alpha, bool acceptTruncated)
    {
        alpha ??= AlphaHandling.White;
        // ImageSharp decodes a truncated PNG, GIF, WebP, TIFF or BMP with the missing part blank: found before it is asked
        if (truncatedReason() is { } truncated)
        {
            if (!acceptTruncated)
                throw new ImageDecodeException(path, $"{truncated} (Pillow refuses truncated files too; accepting truncated images decodes what is there)");
            if (isWebP())
                throw new ImageDecodeException(path, $"{truncated} (refused even when truncated images are accepted, as Pillow's libwebp refuses it)");
        }
        try
        {
            using var stream = open();
            var header = Image.Identify(Config, stream, out IImageFormat? format);
            if (header is null || format is null)
                throw new ImageDecodeException(path, "not an image, or a format that is not supported (jpg, png, webp, bmp, gif, tga, tiff are)");
            if ((long)header.Width * header.Height > maxPixels)
                throw new ImageDecodeException(path, $"{header.Width}x{header.Height} pixels exceeds the limit of {maxPixels} (possible decompression bomb)");
            stream.Position = 0;
            if (alpha.Mode == AlphaMode.Drop)
            {
                using Image<Rgb24> image = format is GifFormat
                    ? Image.Load<Rgb24>(Config, stream, new GifDecoder { DecodingMode = SixLabors.ImageSharp.Metadata.FrameDecodingMode.First })
                    : Image.Load<Rgb24>(Config, stream);
                var frame = image.Frames.RootFrame;
                var result = RgbImage.Create(frame.Width, frame.Height);
                frame.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(result.Pixels.AsSpan()));
                return result;
            }
            using (Image<Rgba32> image = format is GifFormat
                ? Image.Load<Rgba32>(Config, stream, new GifDecoder { DecodingMode = SixLabors.ImageSharp.Metadata.FrameDecodingMode.First })
                : Image.Load<Rgba32>(Config, stream))
            {
                var frame = image.Frames.RootFrame;
                var rgba = new Rgba32[frame.Width * frame.Height];
                frame.CopyPixelDataTo(rgba);
                var result = RgbImage.Create(frame.Width, frame.Height);
                AlphaCompositor.ToRgb(rgba, result.Pixels, alpha);
                return result;
            }
        }
        catch (ImageDecodeException)
        {
            throw;
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException
                                      or NotSupportedException or EndOfStreamException or IndexOutOfRangeException
                                      or ArgumentException or InvalidOperationException or OutOfMemoryException)
        {
            throw new ImageDecodeException(path, $"cannot decode: {e.Message.Split('\n')[0]}", e);
        }
    }

    private static void CheckFile(string path)
    {
        FileInfo info = new(path);
        if (!info.Exists)
            throw new ImageDecodeException(path, "file not found");
        if (info.Length == 0)
            throw new ImageDecodeException(path, "empty file (0 bytes)");
    }

    private static bool StartsLikeJpeg(string path)
    {
        Span<byte> head = stackalloc byte[3];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            return LibjpegTurboDecoder.IsJpeg(head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)]);
        }
        catch (IOException e)
        {
            throw new ImageDecodeException(path, $"cannot read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ImageDecodeException(path, $"cannot read: {e.Message}", e);
        }
    }
}
