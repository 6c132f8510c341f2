using Replication.Images;
using Replication.Core;

namespace Replication.Data.Datasets;

/// <summary>
/// A class-labelled training set drawn from a pool: <c>classes</c> classes chosen in a seeded order among those with at least
/// <c>perClass</c> images, each cut to <c>perClass</c> images by <see cref="NestedSubsets"/> (its own seeded order, unreadable,
/// byte-identical and near-duplicate images dropped); a class that falls short after de-duplication is passed over for the
/// next. Labels come from the records (<see cref="ImageRecord.Label"/>) or their first folder (openclipart's categories,
/// ImageNet's synsets).
/// </summary>
public static class LabelledSubsets
{
    public static SubsetPlan Build(IReadOnlyList<ImageRecord> pool, int classes, int perClass, ulong seed, double duplicateCorrelation = 0.95)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (classes < 1) throw new ParameterException("Classes", classes, "must be ≥ 1");
        if (perClass < 2) throw new ParameterException("PerClass", perClass, "must be ≥ 2");
        var labelled = pool.Where(r => r.Refused is null).Select(r => r with { Label = Replication.Data.Datasets.ClassNames.Of(r) }).ToList();
        if (labelled.FirstOrDefault(r => r.Label is null) is { } none)
            throw new InputDataException($"{none.Id}: no class (give a manifest with a label column, or class sub-folders)");
        var byClass = labelled.GroupBy(r => r.Label!, StringComparer.Ordinal).Where(g => g.Count() >= perClass)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var kept = new List<ImageRecord>();
        var dropped = new List<(ImageRecord, string)>();
        int chosen = 0;
        foreach (int i in SeededPermutation.Create(byClass.Count, seed))
        {
            if (chosen == classes) break;
            var group = byClass[i].ToList();
            try
            {
                var plan = NestedSubsets.Build(group, [perClass], ClassSubsets.ClassSeed(seed, byClass[i].Key), duplicateCorrelation);
                kept.AddRange(plan.Order);
                dropped.AddRange(plan.Dropped);
                chosen++;
            }
            catch (InputDataException e)
            {
                dropped.Add((group[0], $"class {byClass[i].Key} passed over: {e.Message}"));
            }
        }
        if (chosen < classes)
            throw new InputDataException($"only {chosen} classes have {perClass} usable distinct images (of {byClass.Count} with {perClass} files or more); ask for fewer classes or fewer per class");
        return new SubsetPlan(kept, [kept.Count], seed, duplicateCorrelation, dropped);
    }
}
