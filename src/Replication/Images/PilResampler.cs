namespace Replication.Images;

/// <summary>
/// Resizes 8-bit RGB images exactly as Pillow's <c>Image.resize</c> does for bilinear and bicubic filters:
/// separable convolution whose support widens with the downscale factor (antialiasing), weights normalised
/// per output pixel and quantised to 22-bit fixed point, horizontal pass first, each pass rounded and
/// clipped to 8 bits.
/// </summary>
public static class PilResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static RgbImage Resize(RgbImage source, int width, int height, ResampleFilter filter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (width == source.Width && height == source.Height)
            return source with { Pixels = (byte[])source.Pixels.Clone() };

        var (xBounds, xWeights, xSize) = Coefficients(source.Width, width, filter);
        var (yBounds, yWeights, ySize) = Coefficients(source.Height, height, filter);

        RgbImage current = source;
        int firstRow = 0;
        if (width != source.Width)
        {
            firstRow = yBounds[0];
            int lastRow = yBounds[(height - 1) * 2] + yBounds[(height - 1) * 2 + 1];
            if (height == source.Height) { firstRow = 0; lastRow = source.Height; }
            current = Horizontal(source, firstRow, lastRow - firstRow, width, xBounds, xWeights, xSize);
        }
        if (height != source.Height)
            current = Vertical(current, firstRow, height, yBounds, yWeights, ySize);
        return current;
    }

    /// <summary>Per output pixel: first input index and count (bounds), and fixed-point weights (ksize per pixel).</summary>
    internal static (int[] Bounds, int[] Weights, int KernelSize) Coefficients(int inSize, int outSize, ResampleFilter filter)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filter.Support * filterScale;
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * kernelSize];
        var k = new double[kernelSize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double inverse = 1.0 / filterScale;
            int xmin = Math.Max(0, (int)(center - support + 0.5));
            int xmax = Math.Min(inSize, (int)(center + support + 0.5)) - xmin;
            double total = 0;
            for (int x = 0; x < xmax; x++)
            {
                double w = filter.Weight((x + xmin - center + 0.5) * inverse);
                k[x] = w;
                total += w;
            }
            for (int x = 0; x < kernelSize; x++)
            {
                double w = x < xmax && total != 0 ? k[x] / total : 0;
                weights[xx * kernelSize + x] = w < 0
                    ? (int)(-0.5 + w * (1 << PrecisionBits))
                    : (int)(0.5 + w * (1 << PrecisionBits));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return (bounds, weights, kernelSize);
    }

    private static byte Clip(int accumulator)
    {
        int v = accumulator >> PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static RgbImage Horizontal(RgbImage src, int firstRow, int rows, int width, int[] bounds, int[] weights, int ksize)
    {
        var dst = RgbImage.Create(width, rows);
        const int half = 1 << (PrecisionBits - 1);
        for (int y = 0; y < rows; y++)
        {
            var inRow = src.Pixels.AsSpan((firstRow + y) * src.Stride, src.Stride);
            var outRow = dst.Pixels.AsSpan(y * dst.Stride, dst.Stride);
            for (int x = 0; x < width; x++)
            {
                int xmin = bounds[x * 2], count = bounds[x * 2 + 1];
                var w = weights.AsSpan(x * ksize, count);
                int r = half, g = half, b = half;
                for (int i = 0; i < count; i++)
                {
                    int p = (xmin + i) * 3;
                    r += inRow[p] * w[i];
                    g += inRow[p + 1] * w[i];
                    b += inRow[p + 2] * w[i];
                }
                outRow[x * 3] = Clip(r);
                outRow[x * 3 + 1] = Clip(g);
                outRow[x * 3 + 2] = Clip(b);
            }
        }
        return dst;
    }

    private static RgbImage Vertical(RgbImage src, int firstRow, int height, int[] bounds, int[] weights, int ksize)
    {
        var dst = RgbImage.Create(src.Width, height);
        const int half = 1 << (PrecisionBits - 1);
        int stride = src.Stride;
        for (int y = 0; y < height; y++)
        {
            int ymin = bounds[y * 2] - firstRow, count = bounds[y * 2 + 1];
            var w = weights.AsSpan(y * ksize, count);
            var outRow = dst.Pixels.AsSpan(y * stride, stride);
            for (int x = 0; x < stride; x++)
            {
                int acc = half;
                for (int i = 0; i < count; i++)
                    acc += src.Pixels[(ymin + i) * stride + x] * w[i];
                outRow[x] = Clip(acc);
            }
        }
        return dst;
    }
}
