using Replication.Data.Diffusion;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Data.Datasets;

/// <summary>
/// The paper's outpainting fill: RePaint (Lugmayr et al. 2022) with an unconditional DDPM given as an ONNX
/// <see cref="DenoiserCard"/>. As in RePaint, sampling runs on <paramref name="steps"/> steps respaced from the card's
/// schedule (<see cref="RespacedSchedule"/>; RePaint uses 250 of 1000) along the jump schedule of
/// <see cref="RePaintSchedule"/> (jump length 10, 10 resamplings). Before every reverse step but the first, the known
/// part of x_t is replaced by the original noised to ᾱ_t; a forward jump re-noises the whole state with β_{t+1}.
/// The image and its mask are brought to the model's resolution; the generated pixels are scaled back and written into
/// the unknown region only (known pixels stay exactly as they were). Cost: <see cref="NetworkCallsPerImage"/> network
/// calls per image (2410 with the defaults).
/// </summary>
public sealed class RePaintFill : IOutpaintFill
{
    private readonly OnnxDenoiser _denoiser;
    private readonly RespacedSchedule _schedule;
    private readonly IReadOnlyList<int> _times;

    public RePaintFill(OnnxDenoiser denoiser, int steps = 250, int jumpLength = 10, int resamplings = 10)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        if (steps > denoiser.Schedule.Steps)
            throw new ParameterException("Steps", steps, $"the denoiser {denoiser.Card.Name} has only {denoiser.Schedule.Steps} steps to respace");
        _denoiser = denoiser;
        _schedule = RespacedSchedule.Create(denoiser.Schedule, steps);
        _times = RePaintSchedule.Times(steps, jumpLength, resamplings);
        Steps = steps;
        JumpLength = jumpLength;
        Resamplings = resamplings;
        NetworkCallsPerImage = RePaintSchedule.NetworkCalls(steps, jumpLength, resamplings);
    }

    public int Steps { get; }
    public int JumpLength { get; }
    public int Resamplings { get; }

    /// <summary>Denoiser evaluations per filled image (one per reverse transition of the jump schedule).</summary>
    public int NetworkCallsPerImage { get; }

    public string Name => $"RePaint with {_denoiser.Card.Name} ({Steps} of {_denoiser.Schedule.Steps} steps, jump {JumpLength}, resample {Resamplings})";

    public void Fill(Image<Rgb24> image, bool[] known, Random rng)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(known);
        if (known.Length != image.Width * image.Height)
            throw new ArgumentException($"known has {known.Length} entries for a {image.Width}x{image.Height} image", nameof(known));
        var denoiser = _denoiser;
        int size = denoiser.Size, plane = size * size;
        using var small = image.Clone(x => x.Resize(size, size));
        var x0 = new float[3 * plane];
        small.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < size; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < size; x++)
                {
                    x0[y * size + x] = row[x].R / 127.5f - 1;
                    x0[plane + y * size + x] = row[x].G / 127.5f - 1;
                    x0[2 * plane + y * size + x] = row[x].B / 127.5f - 1;
                }
            }
        });
        var keep = new bool[plane];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                keep[y * size + x] = known[(y * image.Height / size) * image.Width + x * image.Width / size];

        var s = _schedule.Schedule;
        var state = x0.Select(_ => (float)DdpmStep.Gaussian(rng)).ToArray();
        bool first = true;
        for (int i = 0; i + 1 < _times.Count; i++)
        {
            int from = _times[i], to = _times[i + 1];
            if (to < from)
            {
                if (!first)
                {
                    var knownPart = DdpmStep.NoiseTo(x0, from, s, rng);
                    for (int c = 0; c < 3; c++)
                        for (int p = 0; p < plane; p++)
                            if (keep[p]) state[c * plane + p] = knownPart[c * plane + p];
                }
                first = false;
                state = DdpmStep.Reverse(state, denoiser.PredictNoise(state, 1, _schedule.TimestepMap[from]), from, s, rng);
            }
            else
            {
                state = DdpmStep.Forward(state, to, s, rng);
            }
        }

        using var result = new Image<Rgb24>(size, size);
        result.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < size; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < size; x++)
                {
                    byte V(int c) => (byte)Math.Clamp(Math.Round((state[c * plane + y * size + x] + 1) * 127.5), 0, 255);
                    row[x] = new Rgb24(V(0), V(1), V(2));
                }
            }
        });
        result.Mutate(x => x.Resize(image.Width, image.Height));
        image.ProcessPixelRows(result, (target, source) =>
        {
            for (int y = 0; y < target.Height; y++)
            {
                var t = target.GetRowSpan(y);
                var g = source.GetRowSpan(y);
                for (int x = 0; x < t.Length; x++)
                    if (!known[y * target.Width + x]) t[x] = g[x];
            }
        });
    }
}
