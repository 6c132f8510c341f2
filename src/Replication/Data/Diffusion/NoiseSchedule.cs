namespace Replication.Data.Diffusion;

/// <summary>
/// A DDPM noise schedule: β_t for t = 1..T (stored 0-based), ᾱ_t = Π_{s≤t} (1 − β_s), and the quantities of the
/// reverse step (Ho et al. 2020). <see cref="Linear"/> is DDPM's; <see cref="Cosine"/> is Nichol &amp; Dhariwal 2021's.
/// </summary>
public sealed class NoiseSchedule
{
    public NoiseSchedule(double[] betas)
    {
        if (betas.Length == 0 || betas.Any(b => b <= 0 || b >= 1))
            throw new ArgumentException("betas must lie in (0, 1)");
        Betas = betas;
        AlphasCumprod = new double[betas.Length];
        double product = 1;
        for (int t = 0; t < betas.Length; t++) AlphasCumprod[t] = product *= 1 - betas[t];
    }

    public double[] Betas { get; }
    public double[] AlphasCumprod { get; }
    public int Steps => Betas.Length;

    /// <summary>ᾱ of the step before t (1 before the first step).</summary>
    public double AlphasCumprodPrevious(int t) => t == 0 ? 1.0 : AlphasCumprod[t - 1];

    /// <summary>DDPM's schedule: β evenly spaced from <paramref name="betaStart"/> to <paramref name="betaEnd"/> (1e-4 to 0.02 over 1000 steps).</summary>
    public static NoiseSchedule Linear(int steps = 1000, double betaStart = 1e-4, double betaEnd = 0.02) =>
        new(Enumerable.Range(0, steps).Select(i => betaStart + (betaEnd - betaStart) * i / Math.Max(1, steps - 1)).ToArray());

    public static NoiseSchedule Cosine(int steps = 1000, double s = 0.008)
    {
        double F(double t) => Math.Pow(Math.Cos((t / steps + s) / (1 + s) * Math.PI / 2), 2);
        return new NoiseSchedule(Enumerable.Range(0, steps).Select(i => Math.Min(1 - F(i + 1) / F(i), 0.999)).ToArray());
    }
}
