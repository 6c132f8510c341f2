namespace Replication.Data.Diffusion;

/// <summary>
/// The time sequence of RePaint (Lugmayr et al. 2022), as its <c>get_schedule_jump</c> builds it with one sample per
/// step and no second or third jump level (the paper's setting): 0-based states from T−1 down to −1 (= x₀); on reaching
/// a state j that is a multiple of <c>jumpLength</c> below T − jumpLength, the sampler goes back up <c>jumpLength</c>
/// steps by re-noising, <c>resamplings − 1</c> times, so that the generated part harmonises with the known part.
/// </summary>
public static class RePaintSchedule
{
    public static IReadOnlyList<int> Times(int steps, int jumpLength = 10, int resamplings = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(jumpLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamplings);
        var jumps = new Dictionary<int, int>();
        for (int j = 0; j < steps - jumpLength; j += jumpLength) jumps[j] = resamplings - 1;
        var times = new List<int>();
        int t = steps;
        while (t >= 1)
        {
            t--;
            times.Add(t);
            if (jumps.TryGetValue(t, out int left) && left > 0)
            {
                jumps[t] = left - 1;
                for (int i = 0; i < jumpLength; i++) times.Add(++t);
            }
        }
        times.Add(-1);
        return times;
    }

    /// <summary>
    /// Network calls to fill one image: one per reverse transition of <see cref="Times"/> (re-noising needs none).
    /// With RePaint's defaults (250 steps, jump 10, 10 resamplings) this is 250 + 24 · 9 · 10 = 2410.
    /// </summary>
    public static int NetworkCalls(int steps, int jumpLength = 10, int resamplings = 10)
    {
        var times = Times(steps, jumpLength, resamplings);
        int calls = 0;
        for (int i = 0; i + 1 < times.Count; i++)
            if (times[i + 1] < times[i]) calls++;
        return calls;
    }
}
