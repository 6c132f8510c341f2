using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Replication.Images;

namespace Replication.Embeddings.WebDataset;

/// <summary>
/// What img2dataset did to each LAION image before the official code embedded it (<c>embedding_search/download_and_generate_embedding.py</c>:
/// <c>image_size=256, resize_mode="keep_ratio", resize_only_if_bigger=True, skip_reencode=True</c>): an image whose shorter side
/// exceeds <see cref="ImageSize"/> is shrunk so that it becomes <see cref="ImageSize"/> (the other side ×scale, rounded half to
/// even, as albumentations' <c>smallest_max_size</c>), by OpenCV's area resampling (<see cref="AreaResampler"/>, bit-exact);
/// an image with an alpha channel is matted onto white (a/255·c + 255 − a, rounded); anything resized, matted, or not a JPEG
/// by Python's <c>imghdr</c> test is encoded as JPEG at quality 95, 4:2:0. Other JPEGs keep their bytes. The encoder is
/// ImageSharp's, not OpenCV's libjpeg (the bytes differ; a named difference), and a grey image is stored as RGB.
/// </summary>
public sealed record Img2DatasetResize(int ImageSize)
{
    public const int Quality = 95;

    /// <summary>The bytes to store, their extension, the stored width and height, the original's, and whether they were re-encoded.</summary>
    public (byte[] Bytes, string Extension, int Width, int Height, int OriginalWidth, int OriginalHeight, bool Reencoded) Apply(byte[] original, string name)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (ImageSize < 1) throw new ParameterException(nameof(ImageSize), ImageSize, "must be at least 1");
        bool encode = !IsImghdrJpeg(original);
        var rgb = ImageDecoder.Decode(original, name, alpha: AlphaHandling.Drop);
        if (AlphaOf(original) is { } alpha)
        {
            for (int i = 0; i < alpha.Length; i++)
                for (int c = 0; c < 3; c++)
                {
                    double v = alpha[i] / 255.0 * rgb.Pixels[i * 3 + c] + 255 - alpha[i];
                    rgb.Pixels[i * 3 + c] = (byte)Math.Round(Math.Clamp(v, 0, 255), MidpointRounding.ToEven);
                }
            encode = true;
        }
        int w0 = rgb.Width, h0 = rgb.Height;
        if (Math.Min(w0, h0) > ImageSize)
        {
            double scale = ImageSize / (double)Math.Min(w0, h0);
            int w = Math.Max(1, (int)Math.Round(w0 * scale, MidpointRounding.ToEven)), h = Math.Max(1, (int)Math.Round(h0 * scale, MidpointRounding.ToEven));
            rgb = AreaResampler.Resize(rgb, w, h);
            encode = true;
        }
        if (!encode) return (original, "jpg", w0, h0, w0, h0, false);
        using var image = Image.LoadPixelData<Rgb24>(rgb.Pixels, rgb.Width, rgb.Height);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = Quality, ColorType = JpegColorType.YCbCrRatio420 });
        return (stream.ToArray(), "jpg", rgb.Width, rgb.Height, w0, h0, true);
    }

    /// <summary>Python's <c>imghdr</c> JPEG test: JFIF or Exif at bytes 6–10, or a file starting FF D8 FF DB.</summary>
    public static bool IsImghdrJpeg(ReadOnlySpan<byte> bytes) =>
        (bytes.Length >= 10 && (bytes[6..10].SequenceEqual("JFIF"u8) || bytes[6..10].SequenceEqual("Exif"u8)))
        || (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF && bytes[3] == 0xDB);

    /// <summary>The alpha channel of an image that OpenCV's IMREAD_UNCHANGED reads with four channels, else null: a PNG with an
    /// alpha channel or a tRNS chunk; a WebP whose pixels are not all opaque (ImageSharp does not expose WebP's alpha flag).</summary>
    private static byte[]? AlphaOf(byte[] bytes)
    {
        if (LibjpegTurboDecoder.IsJpeg(bytes)) return null;
        try
        {
            using var rgba = Image.Load<Rgba32>(bytes, out var format);
            bool channel = format.Name switch
            {
                "PNG" => rgba.Metadata.GetPngMetadata() is var png && (png.ColorType is PngColorType.RgbWithAlpha or PngColorType.GrayscaleWithAlpha || png.HasTransparency),
                "Webp" or "WEBP" or "WebP" => true, // decided by the pixels below
                _ => false,
            };
            if (!channel) return null;
            var alpha = new byte[rgba.Width * rgba.Height];
            bool translucent = false;
            rgba.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++) { alpha[y * rows.Width + x] = row[x].A; translucent |= row[x].A != 255; }
                }
            });
            return format.Name == "PNG" || translucent ? alpha : null;
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            return null;
        }
    }
}
