using Replication.Core;
using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// The replication rate per duplication level (issue 19; the paper's Figure 11 finding read the other way round): with the
/// training set's copies known (<c>id → copies</c>), each scored generation whose top-1 score is above the threshold replicates
/// the image its match row copies (the store's caption names the base image: <see cref="Data.Datasets.DuplicatedTrainingSet"/>).
/// Per level: the fraction of the level's images replicated at least once and the fraction of generations replicating one, each
/// with a percentile bootstrap interval over generations (resampled with replacement, SplitMix64 from the seed).
/// </summary>
public static class DuplicationRates
{
    public static IReadOnlyList<DuplicationLevel> Compute(IReadOnlyList<GenerationRow> rows, IReadOnlyDictionary<string, int> copies, double threshold,
        int samples = Proportion.DefaultSamples, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(copies);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var scored = rows.Where(r => r.Scored).ToList();
        // each generation → the base image it replicates (null: none above the threshold)
        var replicated = new string?[scored.Count];
        for (int g = 0; g < scored.Count; g++)
        {
            if (!(scored[g].Top1 > threshold)) continue;
            string? id = scored[g].MatchCaption;
            if (id is null || !copies.ContainsKey(id))
                throw new InputDataException($"generation {scored[g].Index + 1} ({scored[g].Path}): its match {scored[g].MatchKey} has caption '{id}', which is not an image of the copies table (the store must be built from the duplicated manifest)");
            replicated[g] = id;
        }
        long totalRows = copies.Values.Sum(c => (long)c);
        var levels = copies.GroupBy(kv => kv.Value).OrderBy(g => g.Key).ToList();
        var result = new List<DuplicationLevel>(levels.Count);
        foreach (var level in levels)
        {
            var ids = level.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
            int images = ids.Count;
            // generations: a Proportion over generations
            var hits = replicated.Select(id => id is not null && ids.Contains(id)).ToList();
            var generations = Proportion.Estimate(hits, samples, seed);
            // images replicated at least once: resample generations, count distinct images hit
            int observed = replicated.Where(id => id is not null && ids.Contains(id)).Distinct(StringComparer.Ordinal).Count();
            var fractions = new double[samples];
            ulong state = seed ^ 0x9E3779B97F4A7C15UL;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int s = 0; s < samples; s++)
            {
                seen.Clear();
                for (int i = 0; i < scored.Count; i++)
                {
                    var id = replicated[(int)(SeededPermutation.Next(ref state) % (ulong)scored.Count)];
                    if (id is not null && ids.Contains(id)) seen.Add(id);
                }
                fractions[s] = (double)seen.Count / images;
            }
            Array.Sort(fractions);
            var imagesReplicated = scored.Count == 0
                ? new Proportion(0, images, double.NaN, double.NaN, double.NaN)
                : new Proportion(observed, images, (double)observed / images, ReplicationStatistics.Percentile(fractions, 2.5), ReplicationStatistics.Percentile(fractions, 97.5));
            result.Add(new DuplicationLevel(level.Key, images, (long)images * level.Key, imagesReplicated, generations, (double)images * level.Key / totalRows));
        }
        return result;
    }
}
