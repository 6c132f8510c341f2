using Replication.Core.Compute;
using Replication.Embeddings;

namespace Replication.Search.Store;

/// <summary>How <see cref="StoreSearch"/> searches a store.</summary>
/// <param name="K">Matches kept per query.</param>
/// <param name="CountAbove">Thresholds t for range counts: per query, how many gallery rows score strictly above t (the official code compares <c>&gt;</c>).</param>
/// <param name="CountCap">Candidates looked at per query and gallery shard for the range counts; a shard whose every candidate is above t
/// makes the count a lower bound, flagged as such (raise the cap). Only used with <paramref name="CountAbove"/>.</param>
/// <param name="MemoryBudgetBytes">Bound on the rows and scores <see cref="ExactSearch"/> holds at once for one (queries × shard) piece.</param>
public sealed record StoreSearchSettings(Similarity Similarity, int K, IReadOnlyList<float> CountAbove, int CountCap = StoreSearchSettings.DefaultCountCap,
    ComputeDevice Device = ComputeDevice.Cpu, long MemoryBudgetBytes = SearchMemory.DefaultBudgetBytes)
{
    public const int DefaultCountCap = 1000;
}
