namespace Replication.Core;

/// <summary>
/// A permutation of 0..n−1 fixed by a seed on every machine and .NET version: Fisher–Yates driven by SplitMix64
/// (Steele et al. 2014), with bounded draws by rejection so that every index is equally likely. Prefixes of one
/// permutation give nested subsets.
/// </summary>
public static class SeededPermutation
{
    public static int[] Create(int n, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        ulong state = seed;
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)Below((ulong)i + 1, ref state);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>SplitMix64's next output.</summary>
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, bound) (rejection of the top partial range).</summary>
    private static ulong Below(ulong bound, ref ulong state)
    {
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = Next(ref state); while (x >= limit);
        return x % bound;
    }
}
