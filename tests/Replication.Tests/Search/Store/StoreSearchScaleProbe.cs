using System.Diagnostics;
using Replication.Analyses.Benchmark;
using Replication.Embeddings;
using Replication.Search;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Core.Formats;

namespace Replication.Tests.Search.Store;

/// <summary>
/// A measurement, not a check (runs only with <c>REPLICATION_PROBE=1</c>): a synthetic store (<see cref="SyntheticStore"/>) of random unit rows in several shards
/// searched as persisted stages (<see cref="StoreSearch"/>) against one <see cref="ExactSearch"/> over a single .npy of the same rows,
/// in one process, alternating; prints both times and the merge's share. Written to <c>$REPLICATION_PROBE_OUT</c> (default stdout).
/// </summary>
public class StoreSearchScaleProbe
{
    [SkippableFact]
    public void StagesAgainstOneSearch()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("REPLICATION_PROBE") == "1", "a measurement: set REPLICATION_PROBE=1 to run it");
        int shards = int.Parse(Environment.GetEnvironmentVariable("REPLICATION_PROBE_SHARDS") ?? "10");
        int perShard = int.Parse(Environment.GetEnvironmentVariable("REPLICATION_PROBE_ROWS") ?? "10000");
        int nq = int.Parse(Environment.GetEnvironmentVariable("REPLICATION_PROBE_QUERIES") ?? "2000");
        const int dim = 512, k = 10;
        var root = Fixtures.TempFolder();
        var store = Path.Combine(root, "store");
        // the synthetic store of the bench's store-scale case (seeded unit rows, written shard by shard), and the same rows as one .npy
        SyntheticStore.Write(store, new SyntheticStore.Parameters((long)shards * perShard, shards, dim));
        var single = Path.Combine(root, "gallery.npy");
        using (var source = EmbeddingStore.Open(store))
        using (var all = new NpyWriter(single, dim))
        {
            var block = new float[perShard * dim];
            for (long r = 0; r < source.Count; r += perShard)
            {
                source.ReadRows(r, perShard, block);
                all.WriteRows(block);
            }
            all.Commit();
        }
        var queries = Path.Combine(root, "queries.npy");
        SyntheticStore.WriteQueries(queries, nq, dim, seed: 2);

        double gflop = 2.0 * nq * shards * perShard * dim / 1e9;
        var lines = new List<string> { $"{nq} queries × {shards} shards × {perShard} rows × {dim}, k {k}: {gflop:F0} GFLOP" };
        for (int round = 0; round < 3; round++)
        {
            var w = Stopwatch.StartNew();
            using (var q = NpyMatrix.Open(queries))
            using (var g = NpyMatrix.Open(single))
                ExactSearch.Search(q, g, Similarity.InnerProduct, k);
            double one = w.Elapsed.TotalSeconds;
            var outDir = Path.Combine(root, $"search{round}");
            w.Restart();
            StoreSearch.Run(queries, store, outDir, new StoreSearchSettings(Similarity.InnerProduct, k, []));
            double staged = w.Elapsed.TotalSeconds;
            // the merge alone: every part kept, so a rerun only merges and writes the outputs
            w.Restart();
            StoreSearch.Run(queries, store, outDir, new StoreSearchSettings(Similarity.InnerProduct, k, []));
            double merge = w.Elapsed.TotalSeconds;
            lines.Add($"one search {one:F2} s ({gflop / one:F1} GFLOP/s); staged {staged:F2} s ({gflop / staged:F1} GFLOP/s, {one / staged:P0} of one search's rate); " +
                      $"rerun that only merges {merge:F2} s ({merge / staged:P1} of the staged time)");
        }
        var text = string.Join("\n", lines);
        if (Environment.GetEnvironmentVariable("REPLICATION_PROBE_OUT") is { Length: > 0 } path) File.WriteAllText(path, text + "\n");
        else Console.WriteLine(text);
    }
}
