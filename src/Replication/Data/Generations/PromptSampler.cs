using Replication.Core;

namespace Replication.Data.Generations;

/// <summary>
/// Captions drawn uniformly with replacement from a training set, as Section 7 of the paper drew its 9,000 prompts from
/// LAION Aesthetics: the same captions, seed and count give the same manifest on every machine. Draws come from
/// SplitMix64 (<see cref="SeededPermutation.Next"/>) with rejection, so every sample is equally likely; each prompt also gets
/// the generator seed drawn next (31 bits, which every generator accepts). Duplicated draws are kept: with replacement.
/// </summary>
public static class PromptSampler
{
    /// <param name="population">The captioned samples, enumerated twice (once to count them, once to pick the drawn ones),
    /// so only the draws are held in memory, never the whole caption list.</param>
    public static IReadOnlyList<PromptRow> Sample(IEnumerable<CaptionedSample> population, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        long n = population.LongCount();
        if (n == 0) throw new InputDataException("no captioned samples to draw prompts from");
        var state = seed;
        var draws = new (long Sample, long Seed)[count];
        for (int i = 0; i < count; i++)
            draws[i] = ((long)Below((ulong)n, ref state), (long)(SeededPermutation.Next(ref state) >> 33));
        // second pass: the drawn samples, each once however often it was drawn
        var wanted = draws.Select(d => d.Sample).ToHashSet();
        var picked = new Dictionary<long, CaptionedSample>();
        long at = 0;
        foreach (var sample in population)
        {
            if (wanted.Contains(at)) picked[at] = sample;
            at++;
        }
        if (at != n) throw new InvalidOperationException($"the population changed between passes ({n} then {at} samples)");
        return draws.Select(d => new PromptRow(picked[d.Sample].Caption, picked[d.Sample].Key, d.Seed, picked[d.Sample].Row)).ToList();
    }

    /// <summary>A uniform integer in [0, bound): SplitMix64 outputs in the top partial range are rejected.</summary>
    internal static ulong Below(ulong bound, ref ulong state)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = SeededPermutation.Next(ref state); while (x >= limit);
        return x % bound;
    }
}
