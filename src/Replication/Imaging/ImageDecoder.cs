using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Imaging;

/// <summary>
/// Decodes an image file to 8-bit RGB the way <c>PIL.Image.open(p).convert("RGB")</c> does: alpha is dropped
/// (not composited), palettes are looked up, grayscale is replicated to three channels, only the first frame
/// of an animation is read, and EXIF orientation is <b>not</b> applied (torchvision does not apply it either).
/// 16-bit images are scaled to 8 bits (PIL truncates 16-bit RGB to the high byte, within one level of this;
/// for 16-bit grayscale PIL clips to 255, which this decoder deliberately does not copy).
/// </summary>
public static class ImageDecoder
{
    /// <summary>Pillow's decompression-bomb limit (Image.MAX_IMAGE_PIXELS).</summary>
    public const long DefaultMaxPixels = 89_478_485;

    private static readonly Configuration Config = Configuration.Default.Clone();

    public static RgbImage Decode(string path, long maxPixels = DefaultMaxPixels)
    {
        FileInfo info = new(path);
        if (!info.Exists)
            throw new ImageDecodeException(path, "file not found");
        if (info.Length == 0)
            throw new ImageDecodeException(path, "empty file (0 bytes)");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var header = Image.Identify(Config, stream, out IImageFormat? format);
            if (header is null || format is null)
                throw new ImageDecodeException(path, "not an image, or a format that is not supported (jpg, png, webp, bmp, gif, tga, tiff are)");
            if ((long)header.Width * header.Height > maxPixels)
                throw new ImageDecodeException(path, $"{header.Width}x{header.Height} pixels exceeds the limit of {maxPixels} (possible decompression bomb)");
            stream.Position = 0;
            using Image<Rgb24> image = format is GifFormat
                ? Image.Load<Rgb24>(Config, stream, new GifDecoder { DecodingMode = SixLabors.ImageSharp.Metadata.FrameDecodingMode.First })
                : Image.Load<Rgb24>(Config, stream);
            var frame = image.Frames.RootFrame;
            var result = RgbImage.Create(frame.Width, frame.Height);
            frame.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(result.Pixels.AsSpan()));
            return result;
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
}
