namespace Replication.Data.Diffusion;

/// <summary>
/// The steps of DDPM sampling (Ho et al. 2020) on flat arrays, with the predicted x₀ clipped to [−1, 1] as the
/// reference implementations (guided-diffusion, RePaint) do before taking the posterior mean.
/// </summary>
public static class DdpmStep
{
    /// <summary>x_{t−1} ~ p(x_{t−1} | x_t): posterior mean from the clipped x̂₀ plus √β̃_t noise (none at t = 0).</summary>
    public static float[] Reverse(float[] xt, float[] eps, int t, NoiseSchedule s, Random rng)
    {
        double abar = s.AlphasCumprod[t], abarPrev = s.AlphasCumprodPrevious(t), beta = s.Betas[t];
        double coefX0 = beta * Math.Sqrt(abarPrev) / (1 - abar);
        double coefXt = (1 - abarPrev) * Math.Sqrt(1 - beta) / (1 - abar);
        double sigma = t == 0 ? 0 : Math.Sqrt(beta * (1 - abarPrev) / (1 - abar));
        var result = new float[xt.Length];
        for (int i = 0; i < xt.Length; i++)
        {
            double x0 = Math.Clamp((xt[i] - Math.Sqrt(1 - abar) * eps[i]) / Math.Sqrt(abar), -1, 1);
            result[i] = (float)(coefX0 * x0 + coefXt * xt[i] + sigma * Gaussian(rng));
        }
        return result;
    }

    /// <summary>x_t ~ q(x_t | x₀) = N(√ᾱ_t x₀, (1 − ᾱ_t) I).</summary>
    public static float[] NoiseTo(float[] x0, int t, NoiseSchedule s, Random rng)
    {
        double a = Math.Sqrt(s.AlphasCumprod[t]), b = Math.Sqrt(1 - s.AlphasCumprod[t]);
        return x0.Select(v => (float)(a * v + b * Gaussian(rng))).ToArray();
    }

    /// <summary>x_t ~ q(x_t | x_{t−1}) = N(√(1 − β_t) x_{t−1}, β_t I): one step forward (RePaint's resampling jumps).</summary>
    public static float[] Forward(float[] xPrev, int t, NoiseSchedule s, Random rng)
    {
        double a = Math.Sqrt(1 - s.Betas[t]), b = Math.Sqrt(s.Betas[t]);
        return xPrev.Select(v => (float)(a * v + b * Gaussian(rng))).ToArray();
    }

    public static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
