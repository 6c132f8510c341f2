using System.Security.Cryptography;
using Replication.Core.Compute;
using Replication.Core.Formats;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Embeddings.Store;

namespace Replication.Search.Store;

/// <summary>
/// <see cref="ISearchIndex"/> over an embedding store, staged as <see cref="StoreSearch"/> does it: one persisted part per
/// gallery shard under <see cref="WorkFolder"/>, merged exactly; a rerun reuses finished parts. Queries that are not an .npy file
/// are written to one (named by their content) in the work folder first, since parts are keyed by the query file.
/// </summary>
public sealed class StoreIndex : ISearchIndex
{
    private readonly string _store;

    public StoreIndex(string storeFolder, string workFolder, Similarity similarity, ComputeDevice device = ComputeDevice.Cpu,
        long memoryBudgetBytes = SearchMemory.DefaultBudgetBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeFolder);
        ArgumentException.ThrowIfNullOrEmpty(workFolder);
        ArgumentNullException.ThrowIfNull(similarity);
        _store = storeFolder;
        WorkFolder = workFolder;
        Similarity = similarity;
        Device = device;
        MemoryBudgetBytes = memoryBudgetBytes;
        using var store = EmbeddingStore.Open(storeFolder);
        Count = store.Count;
        Dimension = store.Dimension;
    }

    public string WorkFolder { get; }
    public ComputeDevice Device { get; }
    public long MemoryBudgetBytes { get; }
    public long Count { get; }
    public int Dimension { get; }
    public Similarity Similarity { get; }

    public SearchResult Search(IVectorSource queries, int k, long[]? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        string path = queries is NpyMatrix npy ? npy.Path : Persist(queries);
        string run = Path.Combine(WorkFolder, "search-" + Path.GetFileNameWithoutExtension(path) + FormattableString.Invariant($"-k{k}"));
        return StoreSearch.Run(path, _store, run, new StoreSearchSettings(Similarity, k, [], Device: Device, MemoryBudgetBytes: MemoryBudgetBytes), exclude).Matches;
    }

    private string Persist(IVectorSource queries)
    {
        var rows = new float[checked((int)(queries.Count * queries.Dimension))];
        queries.ReadRows(0, checked((int)queries.Count), rows);
        var bytes = new byte[rows.Length * sizeof(float)];
        Buffer.BlockCopy(rows, 0, bytes, 0, bytes.Length);
        string name = "queries-" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + FormattableString.Invariant($"-{queries.Dimension}.npy");
        Directory.CreateDirectory(WorkFolder);
        string path = Path.Combine(WorkFolder, name);
        if (!File.Exists(path)) NpyWriter.Write(path, rows, queries.Dimension);
        return path;
    }
}
