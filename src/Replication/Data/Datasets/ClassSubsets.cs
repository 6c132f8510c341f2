using System.Text;
using Replication.Images;
using Replication.Core;

namespace Replication.Data.Datasets;

/// <summary>
/// Class-based subsets of a labelled training set (<see cref="ImageRecord.Label"/>), for the paper's Section 5: the k largest
/// classes (its Flowers "top 5 classes" set of 1,083 images) and nested seeded subsets per class. Records that were refused
/// by the folder listing (<see cref="ImageRecord.Refused"/>) are left out; every other record needs a label.
/// <para>The paper's 1,083 for Flowers-102's five largest classes could not be checked here (the dataset cannot be
/// downloaded on this machine); the counts usually quoted, not verified here, are classes 51 (petunia, 258), 77 (passion
/// flower, 251), 46 (wallflower, 196), 73 (water lily, 194) and 89 (watercress, 184), which sum to 1,083. With the real
/// folder, <c>Largest(Flowers102.Load(path), 5).Summary</c> says which classes were chosen and how many images each has.</para>
/// </summary>
public static class ClassSubsets
{
    /// <summary>Every class with its count, count descending, ties by label (ordinal).</summary>
    public static IReadOnlyList<ClassCount> Counts(IReadOnlyList<ImageRecord> records) =>
        Labelled(records).GroupBy(r => r.Label!, StringComparer.Ordinal)
            .Select(g => new ClassCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The <paramref name="k"/> classes with the most images (ties broken by label, ordinal: with Flowers-102's zero-padded
    /// labels the lower class number wins) and their images in the input order.
    /// </summary>
    public static ClassSelection Largest(IReadOnlyList<ImageRecord> records, int k)
    {
        var counts = Counts(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > counts.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"the records have only {counts.Count} classes");
        var chosen = counts.Take(k).ToList();
        var labels = chosen.Select(c => c.Label).ToHashSet(StringComparer.Ordinal);
        bool tie = k < counts.Count && counts[k].Count == counts[k - 1].Count;
        return new ClassSelection(chosen, Labelled(records).Where(r => labels.Contains(r.Label!)).ToList(), tie);
    }

    /// <summary>
    /// Each class's images (in the order given: every loader here returns a fixed order) permuted by
    /// <see cref="SeededPermutation"/> with a seed drawn from <paramref name="seed"/> and the class's label, so a class's order
    /// depends only on its own images, the label and the seed, not on which other classes are present. Unlike
    /// <see cref="NestedSubsets"/>, no duplicates are removed.
    /// </summary>
    public static ClassSubsetPlan NestedPerClass(IReadOnlyList<ImageRecord> records, ulong seed)
    {
        var usable = Labelled(records);
        if (usable.Count == 0) throw new ArgumentException("no usable records", nameof(records));
        var orders = new Dictionary<string, IReadOnlyList<ImageRecord>>(StringComparer.Ordinal);
        foreach (var group in usable.GroupBy(r => r.Label!, StringComparer.Ordinal))
        {
            var images = group.ToList();
            var order = SeededPermutation.Create(images.Count, ClassSeed(seed, group.Key));
            orders[group.Key] = order.Select(i => images[i]).ToList();
        }
        var classes = orders.Select(o => new ClassCount(o.Key, o.Value.Count)).OrderBy(c => c.Label, StringComparer.Ordinal).ToList();
        return new ClassSubsetPlan(classes, orders, seed);
    }

    /// <summary>SplitMix64 of the seed xor the FNV-1a 64-bit hash of the label's UTF-8 bytes.</summary>
    public static ulong ClassSeed(ulong seed, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(label))
            hash = (hash ^ b) * 0x100000001B3UL;
        ulong state = seed ^ hash;
        return SeededPermutation.Next(ref state);
    }

    private static List<ImageRecord> Labelled(IReadOnlyList<ImageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var usable = records.Where(r => r.Refused is null).ToList();
        var unlabelled = usable.FirstOrDefault(r => string.IsNullOrEmpty(r.Label));
        if (unlabelled != null) throw new ArgumentException($"{unlabelled.Path}: record '{unlabelled.Id}' has no label; class subsets need labelled records", nameof(records));
        return usable;
    }
}
