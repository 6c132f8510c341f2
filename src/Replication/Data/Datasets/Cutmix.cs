using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>
/// Cutmix copies as the official <c>cutmix_alltypes</c> (utils_ret.py) makes them: one λ ~ Beta(β, β) and one
/// foreground draw per source; each copy has its own box (<see cref="CutBox.FromDraw"/>, area fraction about 1 − λ) at
/// the same coordinates in source and donor. If the source is the foreground, its box is pasted into the donor;
/// otherwise the donor's box is pasted into the source. <see cref="Draw"/> makes the random draws,
/// <see cref="Render"/> is a pure function of source, donor and draw.
/// </summary>
public static class Cutmix
{
    /// <summary>Draws for <paramref name="copies"/> copies of one source of the given size (donors by index). The copies of one
    /// source have distinct donors, as the official batch permutation gives them (a source with more copies than there are donors
    /// reuses them only after every one was used once).</summary>
    public static IReadOnlyList<CutmixDraw> Draw(Random rng, int copies, int height, int width, int donors, double beta = 1)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(donors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beta);
        double lambda = Beta(rng, beta), foreground = rng.NextDouble();
        var order = new int[donors];
        var draws = new List<CutmixDraw>(copies);
        for (int c = 0; c < copies; c++)
        {
            int k = c % donors;
            if (k == 0)
                for (int i = 0; i < donors; i++) order[i] = i;
            int j = k + rng.Next(donors - k); // a partial Fisher–Yates shuffle: the next donor not yet used in this round
            (order[k], order[j]) = (order[j], order[k]);
            draws.Add(new CutmixDraw(lambda, foreground, rng.Next(height), rng.Next(width), order[k]));
        }
        return draws;
    }

    public static CutBox Box(CutmixDraw draw, int height, int width) =>
        CutBox.FromDraw(height, width, draw.Lambda, draw.CentreRow, draw.CentreColumn);

    /// <summary>The copy: donor with the source's box, or source with the donor's box. Both images must be the same size.</summary>
    public static Image<Rgb24> Render(Image<Rgb24> source, Image<Rgb24> donor, CutmixDraw draw)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(donor);
        ArgumentNullException.ThrowIfNull(draw);
        if (source.Width != donor.Width || source.Height != donor.Height)
            throw new ArgumentException($"source {source.Width}x{source.Height} and donor {donor.Width}x{donor.Height} differ in size");
        var box = Box(draw, source.Height, source.Width);
        var (background, patch) = draw.SourceIsForeground ? (donor, source) : (source, donor);
        var copy = background.Clone();
        for (int y = box.Top; y < box.Bottom; y++)
            for (int x = box.Left; x < box.Right; x++)
                copy[x, y] = patch[x, y];
        return copy;
    }

    /// <summary>Beta(β, β) from two Gamma(β) draws (Marsaglia–Tsang; β &lt; 1 by the usual U^(1/β) boost).</summary>
    internal static double Beta(Random rng, double beta)
    {
        double a = Gamma(rng, beta), b = Gamma(rng, beta);
        return a + b == 0 ? 0.5 : a / (a + b);
    }

    private static double Gamma(Random rng, double shape)
    {
        if (shape < 1) return Gamma(rng, shape + 1) * Math.Pow(1 - rng.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = Replication.Data.Diffusion.DdpmStep.Gaussian(rng); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = 1 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}
