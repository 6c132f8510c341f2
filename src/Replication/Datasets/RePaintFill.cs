using Replication.Diffusion;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Datasets;

/// <summary>
/// The paper's outpainting fill: RePaint (Lugmayr et al. 2022) with an unconditional DDPM given as an ONNX
/// <see cref="DenoiserCard"/>. The image and its mask are brought to the model's resolution; at every step the known
/// part is the forward-noised original and the unknown part the model's reverse step, with resampling jumps; the
/// generated pixels are scaled back and written into the unknown region only (known pixels stay exactly as they were).
/// </summary>
public sealed class RePaintFill(OnnxDenoiser denoiser, int jumpLength = 10, int resamplings = 10) : IOutpaintFill
{
    public string Name => $"RePaint with {denoiser.Card.Name} (jump {jumpLength}, resample {resamplings})";

    public void Fill(Image<Rgb24> image, bool[] known, Random rng)
    {
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

        var s = denoiser.Schedule;
        var times = RePaintSchedule.Times(s.Steps, jumpLength, resamplings);
        var state = x0.Select(_ => (float)DdpmStep.Gaussian(rng)).ToArray();
        for (int i = 0; i + 1 < times.Count; i++)
        {
            int from = times[i], to = times[i + 1];
            if (to < from)
            {
                var generated = DdpmStep.Reverse(state, denoiser.PredictNoise(state, 1, from), from, s, rng);
                var knownPart = to >= 0 ? DdpmStep.NoiseTo(x0, to, s, rng) : x0;
                for (int c = 0; c < 3; c++)
                    for (int p = 0; p < plane; p++)
                        if (keep[p]) generated[c * plane + p] = knownPart[c * plane + p];
                state = generated;
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
