namespace Replication.Data.Diffusion;

/// <summary>
/// A shorter sampling chain taken from a trained schedule, as guided-diffusion's <c>space_timesteps</c> and
/// <c>SpacedDiffusion</c> build it (one section): <see cref="Steps"/> of the original steps are kept, evenly strided with
/// Python's round-half-to-even, and the new β_i = 1 − ᾱ_{kept i} / ᾱ_{kept i−1}, so that the kept steps have exactly the
/// original ᾱ. The network is called with the original step index (<see cref="TimestepMap"/>). RePaint samples with 250
/// steps respaced from a 1000-step model.
/// </summary>
public sealed record RespacedSchedule(NoiseSchedule Schedule, IReadOnlyList<int> TimestepMap)
{
    public int Steps => TimestepMap.Count;

    public static RespacedSchedule Create(NoiseSchedule original, int steps)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, original.Steps);
        var kept = new SortedSet<int>();
        double stride = steps <= 1 ? 1 : (original.Steps - 1) / (double)(steps - 1), position = 0;
        for (int i = 0; i < steps; i++)
        {
            kept.Add((int)Math.Round(position, MidpointRounding.ToEven));
            position += stride;
        }
        var betas = new List<double>();
        var map = new List<int>();
        double last = 1.0;
        foreach (int t in kept)
        {
            betas.Add(1 - original.AlphasCumprod[t] / last);
            last = original.AlphasCumprod[t];
            map.Add(t);
        }
        return new RespacedSchedule(new NoiseSchedule(betas.ToArray()), map);
    }
}
