namespace Replication.Images;

/// <summary>An 8-bit RGB image, pixels interleaved row by row (R, G, B, R, G, B, ...), as PIL's "RGB" mode.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public static RgbImage Create(int width, int height) => new(width, height, new byte[width * height * 3]);

    public int Stride => Width * 3;

    public RgbImage Crop(int left, int top, int width, int height)
    {
        // Regions outside the image are filled with zeros, as torchvision's CenterCrop pads.
        var result = Create(width, height);
        for (int y = 0; y < height; y++)
        {
            int sy = top + y;
            if (sy < 0 || sy >= Height) continue;
            int x0 = Math.Max(0, -left), x1 = Math.Min(width, Width - left);
            if (x1 <= x0) continue;
            Pixels.AsSpan(sy * Stride + (left + x0) * 3, (x1 - x0) * 3).CopyTo(result.Pixels.AsSpan(y * result.Stride + x0 * 3));
        }
        return result;
    }
}
