namespace Replication.Data.Datasets;

/// <summary>
/// The kept (known) regions of the paper's outpainting sets, row-major masks (true = kept): a triangular half above or
/// below the main or anti-diagonal (IN-Dif-Diagonal), or a square of 20% of the image (IN-Dif-Patch: "masking 80% of the
/// image except for a random square patch"). The official repository has no code for these sets.
/// </summary>
public static class OutpaintRegions
{
    public static bool[] Diagonal(int width, int height, bool anti, bool above)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var known = new bool[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double u = (x + 0.5) / width, v = (y + 0.5) / height;
                double side = anti ? (1 - u) - v : u - v; // > 0 above the diagonal
                known[y * width + x] = above ? side > 0 : side < 0;
            }
        return known;
    }

    /// <summary>The side of a square of 20% of the image's area (at most the shorter side).</summary>
    public static int PatchSide(int width, int height) => Math.Min(Math.Min(width, height), (int)Math.Round(Math.Sqrt(0.2 * width * height)));

    public static bool[] Patch(int width, int height, int left, int top, int side)
    {
        if (left < 0 || top < 0 || side <= 0 || left + side > width || top + side > height)
            throw new ArgumentOutOfRangeException(nameof(side), $"square {side} at ({left},{top}) does not fit {width}x{height}");
        var known = new bool[width * height];
        for (int y = top; y < top + side; y++)
            for (int x = left; x < left + side; x++)
                known[y * width + x] = true;
        return known;
    }
}
