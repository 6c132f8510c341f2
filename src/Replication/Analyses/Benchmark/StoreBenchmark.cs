using System.Diagnostics;
using Replication.Core.Compute;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Core.Formats;

namespace Replication.Analyses.Benchmark;

/// <summary>
/// One case of the store-scale benchmark, run in its own process so that its peak memory is its own.
/// <see cref="Kind"/> <c>staged</c>: <see cref="StoreSearch.Run"/> over <see cref="Store"/> (one persisted part per gallery shard,
/// then the merge), then a second run that finds every part kept and only merges (its time is the merge's cost).
/// <c>in-memory</c>: the first <see cref="Shards"/> shards of the store read into one array and searched by one <see cref="ExactSearch"/>.
/// </summary>
public sealed record StoreBenchCase(string Name, string Kind, string Store, string Queries, string Out, int K, int Shards, long GalleryRows,
    int QueryRows, int Dimension)
{
    public const string Staged = "staged";
    public const string InMemory = "in-memory";

    /// <summary>2·Nq·Ng·D.</summary>
    public double Flops => 2.0 * QueryRows * GalleryRows * Dimension;
}

/// <summary>What one store case measured. <see cref="Seconds"/>: the whole search (parts and merge for <c>staged</c>);
/// <see cref="MergeSeconds"/>: the rerun that only merges (NaN for <c>in-memory</c>); peak RSS: VmHWM of the process.</summary>
public sealed record StoreBenchResult(StoreBenchCase Case, double Seconds, double Gflops, double MergeSeconds, long PeakResidentBytes, long BudgetBytes)
{
    public double MergeShare => MergeSeconds / Seconds;
}

public static class StoreBenchmark
{
    public static StoreBenchResult Run(StoreBenchCase c, long budgetBytes, ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Kind switch
        {
            StoreBenchCase.Staged => RunStaged(c, budgetBytes, device),
            StoreBenchCase.InMemory => RunInMemory(c, budgetBytes, device),
            _ => throw new UsageException($"store case kind '{c.Kind}': {StoreBenchCase.Staged} or {StoreBenchCase.InMemory}"),
        };
    }

    private static StoreBenchResult RunStaged(StoreBenchCase c, long budgetBytes, ComputeDevice device)
    {
        if (Directory.Exists(c.Out)) Directory.Delete(c.Out, true); // every part computed in this run
        var settings = new StoreSearchSettings(Similarity.InnerProduct, c.K, [], Device: device, MemoryBudgetBytes: budgetBytes);
        var sw = Stopwatch.StartNew();
        var first = StoreSearch.Run(c.Queries, c.Store, c.Out, settings);
        double seconds = sw.Elapsed.TotalSeconds;
        if (first.PartsComputed != c.Shards) throw new InvalidOperationException($"{first.PartsComputed} parts computed of {c.Shards}");
        // every part is kept: this run checks them, merges and writes the outputs (matches with their sidecar rows), nothing else
        sw.Restart();
        var merged = StoreSearch.Run(c.Queries, c.Store, c.Out, settings);
        double merge = sw.Elapsed.TotalSeconds;
        if (merged.PartsReused != c.Shards) throw new InvalidOperationException($"{merged.PartsReused} parts reused of {c.Shards}");
        long peak = SearchBenchmark.PeakResidentBytes();
        return new StoreBenchResult(c, seconds, c.Flops / seconds / 1e9, merge, peak, budgetBytes);
    }

    private static StoreBenchResult RunInMemory(StoreBenchCase c, long budgetBytes, ComputeDevice device)
    {
        long floats = c.GalleryRows * c.Dimension;
        if (floats > Array.MaxLength) throw new UsageException($"an in-memory gallery of {c.GalleryRows} × {c.Dimension} does not fit one array; give a smaller fraction");
        var gallery = new float[floats];
        using (var store = EmbeddingStore.Open(c.Store))
        {
            if (store.Count < c.GalleryRows) throw new InputDataException($"{c.Store}: {store.Count} rows, fewer than {c.GalleryRows}");
            const int block = 16384;
            for (long r = 0; r < c.GalleryRows; r += block)
            {
                int n = (int)Math.Min(block, c.GalleryRows - r);
                store.ReadRows(r, n, gallery.AsSpan((int)(r * c.Dimension), n * c.Dimension));
            }
        }
        var queries = new float[(long)c.QueryRows * c.Dimension];
        using (var q = NpyMatrix.Open(c.Queries)) q.ReadRows(0, c.QueryRows, queries);
        var sw = Stopwatch.StartNew();
        ExactSearch.Search(new InMemoryVectors(queries, c.Dimension), new InMemoryVectors(gallery, c.Dimension), Similarity.InnerProduct, c.K, device,
            memoryBudgetBytes: budgetBytes);
        double seconds = sw.Elapsed.TotalSeconds;
        return new StoreBenchResult(c, seconds, c.Flops / seconds / 1e9, double.NaN, SearchBenchmark.PeakResidentBytes(), budgetBytes);
    }
}
