namespace Replication.Images;

/// <summary>Cheap checks of what a decoded image holds.</summary>
public static class ImageContent
{
    /// <summary>Largest spread (max − min, 0–255) over all pixels that still counts as a single colour.</summary>
    public const int NearConstantSpread = 8;

    /// <summary>The largest per-channel spread (max − min) of the image's pixels.</summary>
    public static int Spread(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Span<byte> min = [255, 255, 255];
        Span<byte> max = [0, 0, 0];
        var p = image.Pixels;
        for (int i = 0; i + 2 < p.Length; i += 3)
            for (int c = 0; c < 3; c++)
            {
                byte v = p[i + c];
                if (v < min[c]) min[c] = v;
                if (v > max[c]) max[c] = v;
            }
        int spread = 0;
        for (int c = 0; c < 3; c++) spread = Math.Max(spread, max[c] - min[c]);
        return p.Length == 0 ? 0 : spread;
    }

    /// <summary>A warning for a single-colour or near-constant image (it carries no content, and all such images match each
    /// other at about 1), or null.</summary>
    public static string? Warning(RgbImage image)
    {
        int spread = Spread(image);
        return spread <= NearConstantSpread
            ? (spread == 0 ? "single-colour image" : $"near-constant image (each channel varies by at most {spread} levels)") + ": no content to compare; all such images match each other"
            : null;
    }
}
