namespace Replication.Images;

/// <summary>
/// Downscaling by pixel area, as OpenCV's <c>resize(…, INTER_AREA)</c> does for 8-bit images (what img2dataset uses to shrink
/// images before LAION was embedded). Where both factors are whole numbers each output pixel is the mean of its block (a 2×2
/// block rounds halves up, as OpenCV's vector path does; larger blocks round the float mean to nearest, halves to even);
/// otherwise each output pixel sums the source pixels it overlaps, each weighted by the overlap over the cell's width and height,
/// horizontally then vertically in float32, rounded to nearest. Upscaling is not area resampling (OpenCV switches to bilinear)
/// and is refused.
/// </summary>
public static class AreaResampler
{
    private readonly record struct Weight(int Destination, int Source, float Alpha);

    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width < 1 || height < 1 || width > source.Width || height > source.Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"area resampling shrinks: {source.Width}x{source.Height} to {width}x{height} is not a reduction");
        double sx = (double)source.Width / width, sy = (double)source.Height / height;
        int ix = (int)Math.Round(sx), iy = (int)Math.Round(sy);
        if (Math.Abs(sx - ix) < double.Epsilon && Math.Abs(sy - iy) < double.Epsilon)
            return WholeBlocks(source, width, height, ix, iy);
        return Weighted(source, width, height, Table(source.Width, width, sx), Table(source.Height, height, sy));
    }

    private static RgbImage WholeBlocks(RgbImage source, int width, int height, int bx, int by)
    {
        var result = RgbImage.Create(width, height);
        var src = source.Pixels;
        float scale = 1f / (bx * by);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0;
                    for (int j = 0; j < by; j++)
                        for (int i = 0; i < bx; i++)
                            sum += src[((y * by + j) * source.Width + x * bx + i) * 3 + c];
                    result.Pixels[(y * width + x) * 3 + c] = bx == 2 && by == 2 ? (byte)((sum + 2) >> 2) : Saturate(sum * scale);
                }
        return result;
    }

    /// <summary>The overlap weights of one axis: for each output cell [d·s, (d+1)·s), the source pixels it covers and by how much.</summary>
    private static List<Weight> Table(int sourceSize, int size, double scale)
    {
        var table = new List<Weight>();
        for (int d = 0; d < size; d++)
        {
            double f1 = d * scale, f2 = f1 + scale;
            double cell = Math.Min(scale, sourceSize - f1);
            int s1 = (int)Math.Ceiling(f1), s2 = (int)Math.Floor(f2);
            s2 = Math.Min(s2, sourceSize - 1);
            s1 = Math.Min(s1, s2);
            if (s1 - f1 > 1e-3) table.Add(new Weight(d, s1 - 1, (float)((s1 - f1) / cell)));
            for (int s = s1; s < s2; s++) table.Add(new Weight(d, s, (float)(1.0 / cell)));
            if (f2 - s2 > 1e-3) table.Add(new Weight(d, s2, (float)(Math.Min(Math.Min(f2 - s2, 1.0), cell) / cell)));
        }
        return table;
    }

    private static RgbImage Weighted(RgbImage source, int width, int height, List<Weight> xs, List<Weight> ys)
    {
        var result = RgbImage.Create(width, height);
        var src = source.Pixels;
        int n = width * 3;
        var row = new float[n];
        var sum = new float[n];
        int current = ys[0].Destination;
        foreach (var (dy, sy, beta) in ys)
        {
            Array.Clear(row);
            int rowStart = sy * source.Width * 3;
            foreach (var (dx, sx, alpha) in xs)
                for (int c = 0; c < 3; c++)
                    row[dx * 3 + c] += src[rowStart + sx * 3 + c] * alpha;
            if (dy != current)
            {
                for (int i = 0; i < n; i++)
                {
                    result.Pixels[current * n + i] = Saturate(sum[i]);
                    sum[i] = beta * row[i];
                }
                current = dy;
            }
            else
                for (int i = 0; i < n; i++) sum[i] += beta * row[i];
        }
        for (int i = 0; i < n; i++) result.Pixels[current * n + i] = Saturate(sum[i]);
        return result;
    }

    private static byte Saturate(float v) => (byte)Math.Clamp((int)MathF.Round(v, MidpointRounding.ToEven), 0, 255);
}
