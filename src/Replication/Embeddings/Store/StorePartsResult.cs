using Replication.Search.Store;

namespace Replication.Embeddings.Store;

/// <summary>
/// What <see cref="StoreSearch.RunParts"/> did: of the store's <paramref name="Parts"/> parts (one per gallery shard), those of
/// <paramref name="Selection"/> it computed or kept, and those it left to another live process that holds their lock.
/// </summary>
public sealed record StorePartsResult(ShardSelection Selection, int Parts, int Computed, int Reused, IReadOnlyList<string> Busy);
