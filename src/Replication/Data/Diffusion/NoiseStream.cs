using Replication.Core;

namespace Replication.Data.Diffusion;

/// <summary>
/// Standard normal values for one generated image, fixed by (seed, image index) alone: the same seed gives the same
/// image whatever the batch size, the order of batches, or whether the run was resumed. SplitMix64 uniforms through
/// the Box–Muller transform (both values of each pair are used).
/// </summary>
public sealed class NoiseStream
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public NoiseStream(ulong seed, long index)
    {
        ulong mix = seed ^ 0xD1B54A32D192ED03UL;
        _state = SeededPermutation.Next(ref mix) ^ (ulong)index * 0x9E3779B97F4A7C15UL;
        _ = SeededPermutation.Next(ref _state);
    }

    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u1 = ((SeededPermutation.Next(ref _state) >> 11) + 1) * (1.0 / 9007199254740993.0); // (0, 1]
        double u2 = (SeededPermutation.Next(ref _state) >> 11) * (1.0 / 9007199254740992.0);       // [0, 1)
        double r = Math.Sqrt(-2 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public void Fill(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)Next();
    }
}
