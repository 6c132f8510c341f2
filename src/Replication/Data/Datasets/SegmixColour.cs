namespace Replication.Data.Datasets;

/// <summary>
/// The colour transforms of Segmix in torchvision's float-tensor arithmetic (functional_tensor): brightness, contrast
/// and saturation blend with black, the mean grey level and the grey image, clamped to [0, 1]; hue shifts H in HSV;
/// the 5×5 Gaussian blur uses reflect padding; solarize inverts values ≥ the threshold; autocontrast stretches each
/// channel's min–max over the whole image to [0, 1]. All return new images.
/// </summary>
public static class SegmixColour
{
    public static TensorImage Brightness(TensorImage img, double factor) => Map(img, (_, _, v) => Clamp((float)factor * v));

    public static TensorImage Contrast(TensorImage img, double factor)
    {
        var gray = Gray(img);
        float mean = (float)gray.Average(v => (double)v);
        float f = (float)factor;
        return Map(img, (_, _, v) => Clamp(f * v + (1 - f) * mean));
    }

    public static TensorImage Saturation(TensorImage img, double factor)
    {
        var gray = Gray(img);
        float f = (float)factor;
        return Map(img, (_, p, v) => Clamp(f * v + (1 - f) * gray[p]));
    }

    public static TensorImage Grayscale(TensorImage img)
    {
        var gray = Gray(img);
        return Map(img, (_, p, _) => gray[p]);
    }

    public static TensorImage Solarize(TensorImage img, double threshold = 0.9) => Map(img, (_, _, v) => v >= threshold ? 1 - v : v);

    public static TensorImage Autocontrast(TensorImage img)
    {
        var lo = new float[3];
        var scale = new float[3];
        for (int c = 0; c < 3; c++)
        {
            var channel = img.Data.AsSpan(c * img.Plane, img.Plane);
            float min = float.MaxValue, max = float.MinValue;
            foreach (var v in channel) { min = Math.Min(min, v); max = Math.Max(max, v); }
            (lo[c], scale[c]) = max > min ? (min, 1 / (max - min)) : (0f, 1f);
        }
        return Map(img, (c, _, v) => Clamp((v - lo[c]) * scale[c]));
    }

    public static TensorImage Hue(TensorImage img, double factor)
    {
        var result = img.Copy();
        int n = img.Plane;
        for (int p = 0; p < n; p++)
        {
            float r = img.Data[p], g = img.Data[n + p], b = img.Data[2 * n + p];
            float max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), cr = max - min;
            bool flat = max == min;
            float s = cr / (flat ? 1 : max), div = flat ? 1 : cr;
            float rc = (max - r) / div, gc = (max - g) / div, bc = (max - b) / div;
            float h = max == r ? bc - gc : max == g ? 2 + rc - bc : 4 + gc - rc;
            h = (h / 6 + 1) % 1;
            h = (h + (float)factor) % 1;
            if (h < 0) h += 1; // Python's % keeps the divisor's sign
            float i = MathF.Floor(h * 6), f = h * 6 - i;
            float pp = Clamp(max * (1 - s)), q = Clamp(max * (1 - s * f)), t = Clamp(max * (1 - s * (1 - f)));
            (float R, float G, float B) rgb = ((int)i % 6) switch
            {
                0 => (max, t, pp),
                1 => (q, max, pp),
                2 => (pp, max, t),
                3 => (pp, q, max),
                4 => (t, pp, max),
                _ => (max, pp, q),
            };
            result.Data[p] = rgb.R;
            result.Data[n + p] = rgb.G;
            result.Data[2 * n + p] = rgb.B;
        }
        return result;
    }

    /// <summary>torchvision's GaussianBlur with a 5×5 kernel: weights exp(−x²/2σ²) at x = −2..2, normalised, reflect padding.</summary>
    public static TensorImage Blur(TensorImage img, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        var k = new float[5];
        for (int i = 0; i < 5; i++) k[i] = MathF.Exp(-0.5f * MathF.Pow((i - 2) / (float)sigma, 2));
        float sum = k.Sum();
        for (int i = 0; i < 5; i++) k[i] /= sum;
        int w = img.Width, h = img.Height;
        int Reflect(int i, int n) => n == 1 ? 0 : i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
        var rows = TensorImage.Zeros(w, h);
        var result = TensorImage.Zeros(w, h);
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float acc = 0;
                    for (int j = 0; j < 5; j++) acc += k[j] * img[c, y, Reflect(x + j - 2, w)];
                    rows[c, y, x] = acc;
                }
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float acc = 0;
                    for (int j = 0; j < 5; j++) acc += k[j] * rows[c, Reflect(y + j - 2, h), x];
                    result[c, y, x] = acc;
                }
        }
        return result;
    }

    /// <summary>ITU-R 601 luma as torchvision weights it: 0.2989 R + 0.587 G + 0.114 B.</summary>
    internal static float[] Gray(TensorImage img)
    {
        int n = img.Plane;
        var gray = new float[n];
        for (int p = 0; p < n; p++) gray[p] = 0.2989f * img.Data[p] + 0.587f * img.Data[n + p] + 0.114f * img.Data[2 * n + p];
        return gray;
    }

    private static float Clamp(float v) => Math.Clamp(v, 0f, 1f);

    private static TensorImage Map(TensorImage img, Func<int, int, float, float> f)
    {
        var result = img.Copy();
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < img.Plane; p++)
                result.Data[c * img.Plane + p] = f(c, p, img.Data[c * img.Plane + p]);
        return result;
    }
}
