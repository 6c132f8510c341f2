using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>
/// The non-learned default fill for outpainting: each unknown pixel becomes the harmonic (Laplace) interpolation of
/// the known pixels around it — the smoothest surface that meets the kept region's colours at its border, solved
/// coarse-to-fine — plus Gaussian grain with the standard deviation of the kept region's fine detail, so that the
/// filled area continues the image's colours and texture level instead of being blank. It invents no objects;
/// the paper used RePaint (Lugmayr et al. 2022), a diffusion model, for this step.
/// </summary>
public sealed class HarmonicFill : IOutpaintFill
{
    public string Name => "harmonic+grain";

    public void Fill(Image<Rgb24> image, bool[] known, Random rng)
    {
        int w = image.Width, h = image.Height;
        var channels = new float[3][];
        for (int c = 0; c < 3; c++) channels[c] = new float[w * h];
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < w; x++)
                {
                    channels[0][y * w + x] = row[x].R;
                    channels[1][y * w + x] = row[x].G;
                    channels[2][y * w + x] = row[x].B;
                }
            }
        });
        double grain = GrainStd(channels, known, w, h);
        for (int c = 0; c < 3; c++) channels[c] = Solve(channels[c], known, w, h);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    if (known[i]) continue;
                    double noise = grain * Gaussian(rng);
                    row[x] = new Rgb24(Clamp(channels[0][i] + noise), Clamp(channels[1][i] + noise), Clamp(channels[2][i] + noise));
                }
            }
        });
    }

    /// <summary>Harmonic interpolation of the unknown pixels: a coarse solution (known pixels averaged 2×2) seeds Gauss–Seidel sweeps.</summary>
    internal static float[] Solve(float[] values, bool[] known, int w, int h)
    {
        var result = (float[])values.Clone();
        if (known.All(k => k) || !known.Any(k => k)) return result;
        if (w > 8 && h > 8)
        {
            int cw = (w + 1) / 2, ch = (h + 1) / 2;
            var coarse = new float[cw * ch];
            var coarseKnown = new bool[cw * ch];
            for (int y = 0; y < ch; y++)
                for (int x = 0; x < cw; x++)
                {
                    double sum = 0; int n = 0;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++)
                        {
                            int fx = 2 * x + dx, fy = 2 * y + dy;
                            if (fx < w && fy < h && known[fy * w + fx]) { sum += values[fy * w + fx]; n++; }
                        }
                    coarseKnown[y * cw + x] = n > 0;
                    coarse[y * cw + x] = n > 0 ? (float)(sum / n) : 0;
                }
            var solved = Solve(coarse, coarseKnown, cw, ch);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if (!known[y * w + x]) result[y * w + x] = solved[(y / 2) * cw + x / 2];
        }
        // successive over-relaxation until no pixel moves by more than 0.01 (values are 0..255)
        const double omega = 1.7;
        for (int sweep = 0; sweep < 2000; sweep++)
        {
            double largest = 0;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    if (known[i]) continue;
                    double sum = 0; int n = 0;
                    if (x > 0) { sum += result[i - 1]; n++; }
                    if (x + 1 < w) { sum += result[i + 1]; n++; }
                    if (y > 0) { sum += result[i - w]; n++; }
                    if (y + 1 < h) { sum += result[i + w]; n++; }
                    double delta = omega * (sum / n - result[i]);
                    result[i] += (float)delta;
                    largest = Math.Max(largest, Math.Abs(delta));
                }
            if (largest < 0.01) break;
        }
        return result;
    }

    /// <summary>Standard deviation of the kept region's detail: the difference between each known pixel and its 4-neighbour mean.</summary>
    private static double GrainStd(float[][] channels, bool[] known, int w, int h)
    {
        double sum = 0; long n = 0;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++)
            {
                int i = y * w + x;
                if (!known[i] || !known[i - 1] || !known[i + 1] || !known[i - w] || !known[i + w]) continue;
                for (int c = 0; c < 3; c++)
                {
                    var v = channels[c];
                    double d = v[i] - (v[i - 1] + v[i + 1] + v[i - w] + v[i + w]) / 4;
                    sum += d * d; n++;
                }
            }
        return n == 0 ? 0 : Math.Sqrt(sum / n);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
