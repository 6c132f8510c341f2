using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Images;

/// <summary>
/// Composites RGBA pixels onto an opaque background with the integer arithmetic of Pillow's <c>Image.alpha_composite</c>
/// (libImaging/AlphaComposite.c, 7 fractional bits): for a source alpha a over an opaque background, c1 = a·2⁷,
/// c2 = 255·2⁷ − c1, and each channel is ((t >> 8) + t) >> 8 >> 7 with t = src·c1 + bg·c2 + 128·2⁷ (a rounded division by
/// 255). A fully transparent pixel takes the background; a fully opaque one keeps its colour.
/// </summary>
public static class AlphaCompositor
{
    private const int PrecisionBits = 7;

    public static byte Channel(byte source, byte alpha, byte background)
    {
        if (alpha == 0) return background;
        uint coef1 = (uint)alpha << PrecisionBits;  // a·255·255·2⁷ / (255·255) for an opaque background
        uint coef2 = (255u << PrecisionBits) - coef1;
        uint t = source * coef1 + background * coef2 + (0x80u << PrecisionBits);
        return (byte)((((t >> 8) + t) >> 8) >> PrecisionBits);
    }

    /// <summary>Writes RGB (3 bytes a pixel) of <paramref name="pixels"/> composited onto the background, or with alpha
    /// dropped; returns whether any pixel was not fully opaque.</summary>
    public static bool ToRgb(ReadOnlySpan<Rgba32> pixels, Span<byte> rgb, AlphaHandling alpha)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        if (rgb.Length < pixels.Length * 3) throw new ArgumentException("destination too small", nameof(rgb));
        bool translucent = false;
        bool drop = alpha.Mode == AlphaMode.Drop;
        for (int i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            if (p.A != 255) translucent = true;
            if (drop || p.A == 255)
            {
                rgb[i * 3] = p.R; rgb[i * 3 + 1] = p.G; rgb[i * 3 + 2] = p.B;
            }
            else
            {
                rgb[i * 3] = Channel(p.R, p.A, alpha.R);
                rgb[i * 3 + 1] = Channel(p.G, p.A, alpha.G);
                rgb[i * 3 + 2] = Channel(p.B, p.A, alpha.B);
            }
        }
        return translucent;
    }
}
