using Replication.Core;
using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// The replication rate per duplication level (issue 19; the paper's Figure 11 finding read the other way round): with the
/// training set's copies known (<c>id → copies</c>), each scored generation whose top-1 score is above the threshold replicates
/// the image its match row copies (the store's caption names the base image: <see cref="Data.Datasets.DuplicatedTrainingSet"/>).
/// Per level: the fraction of the level's images replicated at least once (Wilson score interval over the level's images) and the
/// fraction of generations replicating one (percentile bootstrap interval over generations, resampled with replacement, SplitMix64
/// from the seed).
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
            // images replicated at least once, with the level's images as the unit (Wilson score interval): a bootstrap over
            // generations is biased low for a count of distinct images (a resample holds about 63% of the distinct generations,
            // so it hits fewer images than the sample did, and the observed fraction can fall outside its own interval)
            int observed = replicated.Where(id => id is not null && ids.Contains(id)).Distinct(StringComparer.Ordinal).Count();
            var imagesReplicated = scored.Count == 0
                ? new Proportion(0, images, double.NaN, double.NaN, double.NaN)
                : Proportion.Wilson(observed, images);
            result.Add(new DuplicationLevel(level.Key, images, (long)images * level.Key, imagesReplicated, generations, (double)images * level.Key / totalRows));
        }
        return result;
    }
}
