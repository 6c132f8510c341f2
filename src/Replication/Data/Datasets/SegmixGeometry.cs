namespace Replication.Data.Datasets;

/// <summary>
/// The geometric transforms of Segmix on an image and its label map, as torchvision 0.14 applies them to tensors:
/// flips; resize (bilinear without antialiasing for the image, nearest for the labels, PyTorch's half-pixel
/// convention); rotation by an angle in degrees (counter-clockwise) about the centre with <c>expand=True</c>, nearest
/// sampling for both (torchvision's default), zeros outside.
/// </summary>
public static class SegmixGeometry
{
    public static TensorImage FlipHorizontal(TensorImage img) => Remap(img, img.Width, img.Height, (y, x) => (y, img.Width - 1 - x));
    public static TensorImage FlipVertical(TensorImage img) => Remap(img, img.Width, img.Height, (y, x) => (img.Height - 1 - y, x));
    public static LabelMap FlipHorizontal(LabelMap m) => Remap(m, m.Width, m.Height, (y, x) => (y, m.Width - 1 - x));
    public static LabelMap FlipVertical(LabelMap m) => Remap(m, m.Width, m.Height, (y, x) => (m.Height - 1 - y, x));

    public static TensorImage ResizeBilinear(TensorImage img, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var result = TensorImage.Zeros(width, height);
        var (ys, yw) = Taps(img.Height, height);
        var (xs, xw) = Taps(img.Width, width);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    float top = (1 - xw[x]) * img[c, ys[y].Lo, xs[x].Lo] + xw[x] * img[c, ys[y].Lo, xs[x].Hi];
                    float bottom = (1 - xw[x]) * img[c, ys[y].Hi, xs[x].Lo] + xw[x] * img[c, ys[y].Hi, xs[x].Hi];
                    result[c, y, x] = (1 - yw[y]) * top + yw[y] * bottom;
                }
        return result;
    }

    public static LabelMap ResizeNearest(LabelMap m, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        float sy = (float)m.Height / height, sx = (float)m.Width / width;
        return Remap(m, width, height, (y, x) => (Math.Min((int)(y * sy), m.Height - 1), Math.Min((int)(x * sx), m.Width - 1)));
    }

    /// <summary>The canvas size of a rotation with expand (torchvision's <c>_compute_affine_output_size</c>).</summary>
    public static (int Width, int Height) RotatedSize(int width, int height, double degrees)
    {
        double a = degrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        foreach (var (px, py) in new[] { (-0.5 * width, -0.5 * height), (-0.5 * width, 0.5 * height), (0.5 * width, 0.5 * height), (0.5 * width, -0.5 * height) })
        {
            // corners about the centre, shifted back to [0, w] × [0, h] as PIL and torchvision do before rounding outwards
            double x = cos * px - sin * py + 0.5 * width, y = sin * px + cos * py + 0.5 * height;
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        const double tol = 1e-4;
        int w = (int)(Math.Ceiling(Math.Truncate(maxX / tol) * tol) - Math.Floor(Math.Truncate(minX / tol) * tol));
        int h = (int)(Math.Ceiling(Math.Truncate(maxY / tol) * tol) - Math.Floor(Math.Truncate(minY / tol) * tol));
        return (w, h);
    }

    public static TensorImage Rotate(TensorImage img, double degrees)
    {
        var (w, h) = RotatedSize(img.Width, img.Height, degrees);
        return Remap(img, w, h, RotationSource(img.Width, img.Height, w, h, degrees));
    }

    public static LabelMap Rotate(LabelMap m, double degrees)
    {
        var (w, h) = RotatedSize(m.Width, m.Height, degrees);
        return Remap(m, w, h, RotationSource(m.Width, m.Height, w, h, degrees));
    }

    /// <summary>Output pixel → input pixel (−1 when outside): the inverse rotation of the pixel centre, rounded half to even.</summary>
    private static Func<int, int, (int, int)> RotationSource(int width, int height, int outWidth, int outHeight, double degrees)
    {
        double a = degrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        return (y, x) =>
        {
            double xo = x - outWidth * 0.5 + 0.5, yo = y - outHeight * 0.5 + 0.5;
            int ix = (int)Math.Round(cos * xo - sin * yo + (width - 1) * 0.5, MidpointRounding.ToEven);
            int iy = (int)Math.Round(sin * xo + cos * yo + (height - 1) * 0.5, MidpointRounding.ToEven);
            return ix < 0 || iy < 0 || ix >= width || iy >= height ? (-1, -1) : (iy, ix);
        };
    }

    private static ((int Lo, int Hi)[], float[]) Taps(int input, int output)
    {
        var taps = new (int, int)[output];
        var weights = new float[output];
        float scale = (float)input / output;
        for (int o = 0; o < output; o++)
        {
            float src = Math.Max(0f, scale * (o + 0.5f) - 0.5f);
            int lo = Math.Min((int)src, input - 1);
            taps[o] = (lo, lo < input - 1 ? lo + 1 : lo);
            weights[o] = src - lo;
        }
        return (taps, weights);
    }

    private static TensorImage Remap(TensorImage img, int width, int height, Func<int, int, (int Y, int X)> source)
    {
        var result = TensorImage.Zeros(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (sy, sx) = source(y, x);
                if (sy < 0) continue;
                for (int c = 0; c < 3; c++) result[c, y, x] = img[c, sy, sx];
            }
        return result;
    }

    private static LabelMap Remap(LabelMap m, int width, int height, Func<int, int, (int Y, int X)> source)
    {
        var labels = new int[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (sy, sx) = source(y, x);
                labels[y * width + x] = sy < 0 ? 0 : m[sy, sx];
            }
        return new LabelMap(width, height, labels);
    }
}
