namespace Replication.Data.Diffusion;

/// <summary>
/// One step of the reverse process on flat arrays, with diffusers' formulas: x̂₀ = (x_t − √(1−ᾱ_t) ε̂) / √ᾱ_t, clipped to
/// [−1, 1] when the card says so; DDPM takes the posterior mean plus √σ² z (σ² = β̃_t for fixed_small, β_t for fixed_large;
/// no noise at t = 0); DDIM takes √ᾱ_prev x̂₀ + √(1 − ᾱ_prev − σ²) ε̂ + σ z with σ = η √β̃ (ε̂ not recomputed after clipping,
/// as diffusers' default). Coefficients in double, values in float.
/// </summary>
public static class ReverseStep
{
    public static void Ddpm(ReadOnlySpan<float> x, ReadOnlySpan<float> eps, int t, NoiseSchedule s, bool clip, bool largeVariance,
        ReadOnlySpan<float> noise, Span<float> output)
    {
        Check(x, eps, output);
        double a = s.AlphasCumprod[t], aPrev = s.AlphasCumprodPrevious(t);
        double beta = 1 - a / aPrev;
        double coefX0 = Math.Sqrt(aPrev) * beta / (1 - a);
        double coefXt = Math.Sqrt(1 - beta) * (1 - aPrev) / (1 - a);
        double sigma = t == 0 ? 0 : Math.Sqrt(largeVariance ? beta : Math.Max((1 - aPrev) / (1 - a) * beta, 1e-20));
        if (sigma > 0 && noise.Length != x.Length) throw new ArgumentException("noise must have the length of x", nameof(noise));
        double sa = Math.Sqrt(a), sb = Math.Sqrt(1 - a);
        for (int i = 0; i < x.Length; i++)
        {
            double x0 = (x[i] - sb * eps[i]) / sa;
            if (clip) x0 = Math.Clamp(x0, -1, 1);
            double v = coefX0 * x0 + coefXt * x[i];
            if (sigma > 0) v += sigma * noise[i];
            output[i] = (float)v;
        }
    }

    /// <param name="tPrev">The next timestep of the schedule, −1 after the last (then ᾱ_prev = 1, diffusers' set_alpha_to_one).</param>
    public static void Ddim(ReadOnlySpan<float> x, ReadOnlySpan<float> eps, int t, int tPrev, NoiseSchedule s, double eta, bool clip,
        ReadOnlySpan<float> noise, Span<float> output)
    {
        Check(x, eps, output);
        double a = s.AlphasCumprod[t], aPrev = tPrev >= 0 ? s.AlphasCumprod[tPrev] : 1.0;
        double sigma = eta * Math.Sqrt((1 - aPrev) / (1 - a) * (1 - a / aPrev));
        if (eta > 0 && noise.Length != x.Length) throw new ArgumentException("noise must have the length of x", nameof(noise));
        double sa = Math.Sqrt(a), sb = Math.Sqrt(1 - a), sPrev = Math.Sqrt(aPrev), dir = Math.Sqrt(Math.Max(0, 1 - aPrev - sigma * sigma));
        for (int i = 0; i < x.Length; i++)
        {
            double x0 = (x[i] - sb * eps[i]) / sa;
            if (clip) x0 = Math.Clamp(x0, -1, 1);
            double v = sPrev * x0 + dir * eps[i];
            if (eta > 0) v += sigma * noise[i];
            output[i] = (float)v;
        }
    }

    private static void Check(ReadOnlySpan<float> x, ReadOnlySpan<float> eps, Span<float> output)
    {
        if (eps.Length != x.Length || output.Length != x.Length) throw new ArgumentException("x, eps and output must have the same length");
    }
}
