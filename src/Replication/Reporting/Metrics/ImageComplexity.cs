using Replication.Embeddings;
using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Reporting.Metrics;

/// <summary>
/// How simple an image is, the three ways the official code measures a matched training image (<c>diff_retrieval.py</c>, the
/// complexity analysis after the search): the image as <c>Resize(224)</c> (bilinear), <c>CenterCrop(224)</c>, <c>ToTensor()</c>, × 255
/// (float32; <see cref="OfficialView"/>), then
/// <list type="bullet">
/// <item><see cref="Entropy"/>: scikit-learn's <c>entropy</c> (natural log) of the grey levels of
/// <c>img_as_ubyte(rgb2gray(image.astype(uint8)))</c> (the float view truncated to bytes; grey = 0.2125 R + 0.7154 G + 0.0721 B,
/// × 255 rounded half to even);</item>
/// <item><see cref="JpegKiB"/>: the size in KiB of the truncated bytes encoded as JPEG at quality 90. The official code calls
/// OpenCV's <c>imencode</c> on RGB bytes, which OpenCV reads as BGR; the channels are swapped here likewise. The encoder is
/// ImageSharp's, not libjpeg's: sizes differ from OpenCV's by a few percent (a named difference);</item>
/// <item><see cref="TotalVariation"/>: the official <c>tv_loss</c> (ℓ1, weight 1e-4) of the float view: 1e-4 × (Σ|vertical
/// differences| + Σ|horizontal differences|) over the three channels.</item>
/// </list>
/// <see cref="Mixed"/> is the official combination entropy × √(JPEG KiB).
/// </summary>
public sealed record ImageComplexity(double Entropy, double JpegKiB, double TotalVariation)
{
    public const int ViewSize = 224;
    public const int JpegQuality = 90;
    public const double TvWeight = 1e-4;

    public double Mixed => Entropy * Math.Sqrt(JpegKiB);

    private static readonly Preprocessor View = new(new InputSpec { Name = "complexity-view", Size = ViewSize, Resize = ViewSize, Interpolation = "bilinear", Mean = [0, 0, 0], Std = [1, 1, 1] });

    public static ImageComplexity Measure(RgbImage decoded)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var (values, width, height) = OfficialView(decoded);
        var bytes = Truncate(values, width, height);
        return new ImageComplexity(LabelEntropy(Grey(bytes)), JpegSizeKiB(bytes, width, height), TvLoss(values, width, height));
    }

    /// <summary>The float CHW view the official code measures: the resized and cropped bytes k as float32 (k / 255) × 255.</summary>
    public static (float[] Values, int Width, int Height) OfficialView(RgbImage decoded)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var crop = View.ResizeAndCrop(decoded);
        int plane = crop.Width * crop.Height;
        var values = new float[3 * plane];
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
            {
                float t = crop.Pixels[i * 3 + c] / 255f; // ToTensor, float32
                values[c * plane + i] = t * 255f;
            }
        return (values, crop.Width, crop.Height);
    }

    /// <summary><c>.numpy().astype(np.uint8)</c> of the CHW view, as HWC bytes: truncation toward zero (k / 255 × 255 can fall just below k).</summary>
    public static byte[] Truncate(ReadOnlySpan<float> chw, int width, int height)
    {
        int plane = width * height;
        var hwc = new byte[3 * plane];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
                hwc[i * 3 + c] = (byte)chw[c * plane + i];
        return hwc;
    }

    /// <summary>scikit-image's <c>img_as_ubyte(rgb2gray(rgb))</c> for uint8 RGB (HWC).</summary>
    public static byte[] Grey(ReadOnlySpan<byte> rgb)
    {
        var grey = new byte[rgb.Length / 3];
        for (int i = 0; i < grey.Length; i++)
        {
            double y = rgb[i * 3] / 255.0 * 0.2125 + rgb[i * 3 + 1] / 255.0 * 0.7154 + rgb[i * 3 + 2] / 255.0 * 0.0721;
            grey[i] = (byte)Math.Clamp(Math.Round(y * 255.0, MidpointRounding.ToEven), 0, 255);
        }
        return grey;
    }

    /// <summary>scikit-learn's <c>metrics.cluster.entropy</c> of the values as labels: −Σ p ln p over the distinct values (0 for one value).</summary>
    public static double LabelEntropy(ReadOnlySpan<byte> labels)
    {
        if (labels.Length == 0) return 1.0; // scikit-learn's convention for no labels
        Span<long> counts = stackalloc long[256];
        foreach (byte b in labels) counts[b]++;
        double n = labels.Length, logN = Math.Log(n), sum = 0;
        int distinct = 0;
        foreach (long c in counts)
            if (c > 0) { distinct++; sum += c / n * (Math.Log(c) - logN); }
        return distinct == 1 ? 0.0 : -sum;
    }

    /// <summary>The official <c>tv_loss</c> (ℓ1) of a CHW float image.</summary>
    public static double TvLoss(ReadOnlySpan<float> chw, int width, int height)
    {
        int plane = width * height;
        double h = 0, w = 0;
        for (int c = 0; c < 3; c++)
        {
            var p = chw.Slice(c * plane, plane);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    float v = p[y * width + x];
                    if (y + 1 < height) h += Math.Abs(v - p[(y + 1) * width + x]);
                    if (x + 1 < width) w += Math.Abs(v - p[y * width + x + 1]);
                }
        }
        return TvWeight * (h + w);
    }

    /// <summary>JPEG size in KiB at quality 90 of HWC RGB bytes handed over as OpenCV would read them (channels as BGR).</summary>
    public static double JpegSizeKiB(byte[] rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        var swapped = new byte[rgb.Length];
        for (int i = 0; i < rgb.Length; i += 3)
        {
            swapped[i] = rgb[i + 2];
            swapped[i + 1] = rgb[i + 1];
            swapped[i + 2] = rgb[i];
        }
        using var image = Image.LoadPixelData<Rgb24>(swapped, width, height);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = JpegQuality });
        return stream.Length / 1024.0;
    }
}
