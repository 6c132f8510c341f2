using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// Nested per-class subsets (<see cref="ClassSubsets.NestedPerClass"/>): each class's images in a seeded order; the subset of
/// n per class is the first n of every class, so every smaller subset lies inside every larger one.
/// </summary>
/// <param name="Classes">Every class with its count, in label (ordinal) order.</param>
/// <param name="Orders">Each class's images in its seeded order.</param>
/// <param name="Seed">The seed the per-class orders were drawn from.</param>
public sealed record ClassSubsetPlan(IReadOnlyList<ClassCount> Classes, IReadOnlyDictionary<string, IReadOnlyList<ImageRecord>> Orders, ulong Seed)
{
    /// <summary>The smallest class's size: the most images per class that every class can give.</summary>
    public int MaxPerClass => Classes.Count == 0 ? 0 : Classes.Min(c => c.Count);

    /// <summary>The first <paramref name="perClass"/> images of every class, classes in label order.</summary>
    public IReadOnlyList<ImageRecord> Subset(int perClass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        var small = Classes.FirstOrDefault(c => c.Count < perClass);
        if (small != null)
            throw new ArgumentOutOfRangeException(nameof(perClass), perClass, $"class '{small.Label}' has only {small.Count} images (at most {MaxPerClass} per class)");
        return Classes.SelectMany(c => Orders[c.Label].Take(perClass)).ToList();
    }
}
