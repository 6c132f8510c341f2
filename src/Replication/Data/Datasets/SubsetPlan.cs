using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// Nested training subsets: <see cref="Order"/> is the pool in a seeded order with unreadable images and near-duplicates
/// left out, and the subset of size n is its first n images, so every smaller subset lies inside every larger one
/// (their embeddings are computed once). <see cref="Dropped"/> says why each left-out image was dropped.
/// </summary>
public sealed record SubsetPlan(IReadOnlyList<ImageRecord> Order, IReadOnlyList<int> Sizes, ulong Seed, double DuplicateCorrelation,
    IReadOnlyList<(ImageRecord Image, string Reason)> Dropped)
{
    public IReadOnlyList<ImageRecord> Subset(int size)
    {
        if (size < 1 || size > Order.Count) throw new ArgumentOutOfRangeException(nameof(size), $"subset size must be in 1..{Order.Count}");
        return Order.Take(size).ToList();
    }
}
