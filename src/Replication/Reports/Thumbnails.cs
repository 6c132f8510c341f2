using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Reports;

/// <summary>Small JPEG thumbnails as data URIs, so a report is one self-contained file.</summary>
public static class Thumbnails
{
    public static string? DataUri(string path, int size = 160)
    {
        try
        {
            using var image = Image.Load<Rgb24>(path);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Max }));
            using var ms = new MemoryStream();
            image.SaveAsJpeg(ms, new JpegEncoder { Quality = 80 });
            return "data:image/jpeg;base64," + Convert.ToBase64String(ms.ToArray());
        }
        catch (Exception e) when (e is IOException or UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            return null;
        }
    }
}
