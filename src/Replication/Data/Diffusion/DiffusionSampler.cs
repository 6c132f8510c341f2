namespace Replication.Data.Diffusion;

/// <summary>
/// Runs the reverse process of an <see cref="OnnxDenoiser"/> on a batch: x_T from each image's <see cref="NoiseStream"/>
/// (or given), one network call per timestep for the whole batch, the step noise drawn from the same per-image streams.
/// </summary>
public sealed class DiffusionSampler
{
    private readonly OnnxDenoiser _denoiser;
    private readonly int[] _timesteps;

    public DiffusionSampler(OnnxDenoiser denoiser, SamplerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        Check(denoiser.Card, settings);
        _denoiser = denoiser;
        Settings = settings;
        _timesteps = settings.Timesteps(denoiser.Schedule.Steps);
    }

    public SamplerSettings Settings { get; }

    /// <summary>Whether <paramref name="settings"/> can sample <paramref name="card"/>, without opening its network: one
    /// user-facing line naming what does not fit.</summary>
    public static void Check(DenoiserCard card, SamplerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Eta < 0 || !double.IsFinite(settings.Eta)) throw new ParameterException("Eta", settings.Eta, "must be a number ≥ 0");
        if (!double.IsFinite(settings.GuidanceScale)) throw new ParameterException("Guidance", settings.GuidanceScale, "the guidance scale must be finite");
        if (settings.Kind == SamplerKind.Ddim && (settings.Steps < 1 || settings.Steps > card.Steps))
            throw new ParameterException("Steps", settings.Steps, $"{card.CardPath} was trained with {card.Steps} steps, so DDIM takes 1 to {card.Steps}");
        if (settings.Guided && card.NullClass is null)
            throw new InputDataException($"{card.CardPath}: guidance needs a denoiser trained with a null class (nullClass on its card); this one has none");
    }

    /// <summary>Network calls per batch.</summary>
    public int NetworkCalls => _timesteps.Length;

    /// <summary>Samples one image per stream; returns [n, 3, size, size] in model space (about [−1, 1]).</summary>
    public float[] Sample(IReadOnlyList<NoiseStream> streams, long[]? classes = null, Action<int>? stepDone = null)
    {
        int n = streams.Count, len = _denoiser.SampleLength;
        var x = new float[n * len];
        for (int i = 0; i < n; i++) streams[i].Fill(x.AsSpan(i * len, len));
        return Run(x, n, classes, (_, noise) =>
        {
            for (int i = 0; i < n; i++) streams[i].Fill(noise.Slice(i * len, len));
        }, stepDone);
    }

    /// <summary>The reverse process from <paramref name="xT"/> (overwritten); <paramref name="fillNoise"/>(step index, buffer)
    /// supplies each stochastic step's noise (tests give it from a file).</summary>
    public float[] Run(float[] xT, int count, long[]? classes, Action<int, Span<float>> fillNoise, Action<int>? stepDone = null)
    {
        var x = xT;
        var eps = new float[x.Length];
        var noise = new float[x.Length];
        var next = new float[x.Length];
        var card = _denoiser.Card;
        bool large = card.VarianceType == "fixed_large";
        for (int k = 0; k < _timesteps.Length; k++)
        {
            int t = _timesteps[k];
            Predict(x, count, t, classes, eps);
            bool stochastic = Settings.Kind == SamplerKind.Ddpm ? t > 0 : Settings.Eta > 0;
            if (stochastic) fillNoise(k, noise);
            if (Settings.Kind == SamplerKind.Ddpm)
                ReverseStep.Ddpm(x, eps, t, _denoiser.Schedule, card.ClipSample, large, noise, next);
            else
                ReverseStep.Ddim(x, eps, t, k + 1 < _timesteps.Length ? _timesteps[k + 1] : -1, _denoiser.Schedule, Settings.Eta, card.ClipSample, noise, next);
            (x, next) = (next, x);
            stepDone?.Invoke(k + 1);
        }
        return x;
    }

    /// <summary>ε̂ for the batch; with guidance, one network call on [x; x] with [classes; ∅] and the two halves combined.</summary>
    private void Predict(float[] x, int count, int t, long[]? classes, float[] eps)
    {
        if (!Settings.Guided)
        {
            _denoiser.PredictNoise(x, count, t, classes, eps);
            return;
        }
        if (classes is null) throw new ArgumentException("guidance needs a class per sample", nameof(classes));
        var both = new float[2 * x.Length];
        x.CopyTo(both, 0);
        x.CopyTo(both, x.Length);
        var labels = new long[2 * count];
        classes.CopyTo(labels, 0);
        Array.Fill(labels, (long)_denoiser.Card.NullClass!.Value, count, count);
        var pair = new float[both.Length];
        _denoiser.PredictNoise(both, 2 * count, t, labels, pair);
        float s = (float)Settings.GuidanceScale;
        for (int i = 0; i < x.Length; i++)
        {
            float uncond = pair[x.Length + i];
            eps[i] = uncond + s * (pair[i] - uncond);
        }
    }

    /// <summary>diffusers' output conversion: round(clamp(x / 2 + 0.5, 0, 1) · 255) per channel, to interleaved RGB bytes.</summary>
    public static byte[] ToRgb(ReadOnlySpan<float> chw, int size)
    {
        int plane = size * size;
        if (chw.Length != 3 * plane) throw new ArgumentException($"expected {3 * plane} values", nameof(chw));
        var rgb = new byte[3 * plane];
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < plane; p++)
                rgb[p * 3 + c] = (byte)Math.Round(Math.Clamp(chw[c * plane + p] / 2.0 + 0.5, 0, 1) * 255, MidpointRounding.ToEven);
        return rgb;
    }
}
