using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Reporting;

/// <summary>Small JPEG thumbnails as data URIs, so a report is one self-contained file. Images are decoded as the scan
/// decoded them (<see cref="Replication.Images.AlphaHandling"/>), so that a thumbnail shows what the model saw.</summary>
public static class Thumbnails
{
    public static string? DataUri(string path, int size = 160, Replication.Images.AlphaHandling? alpha = null, bool acceptTruncated = false) =>
        DataUri(() => Replication.Images.ImageDecoder.Decode(path, alpha: alpha, acceptTruncated: acceptTruncated), size);

    /// <summary>A thumbnail of encoded image bytes (an image read from a webdataset shard); <paramref name="name"/> names it in errors.</summary>
    public static string? DataUri(byte[] bytes, string name, int size = 160, Replication.Images.AlphaHandling? alpha = null, bool acceptTruncated = false) =>
        DataUri(() => Replication.Images.ImageDecoder.Decode(bytes, name, alpha: alpha, acceptTruncated: acceptTruncated), size);

    private static string? DataUri(Func<Replication.Images.RgbImage> decode, int size)
    {
        try
        {
            var rgb = decode();
            using var image = Image.LoadPixelData<Rgb24>(rgb.Pixels, rgb.Width, rgb.Height);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Max }));
            using var ms = new MemoryStream();
            image.SaveAsJpeg(ms, new JpegEncoder { Quality = 80 });
            return "data:image/jpeg;base64," + Convert.ToBase64String(ms.ToArray());
        }
        catch (Exception e) when (e is Replication.Images.ImageDecodeException or IOException or UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            return null;
        }
    }
}
