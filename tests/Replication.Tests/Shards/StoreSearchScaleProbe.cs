using System.Diagnostics;
using System.Text.Json;
using Replication.Search;
using Replication.Shards;
using Replication.Storage;

namespace Replication.Tests.Shards;

/// <summary>
/// A measurement, not a check (runs only with <c>REPLICATION_PROBE=1</c>): a synthetic store of random unit rows in several shards
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
        var random = new Random(1);
        float[] Rows(int n)
        {
            var data = new float[n * dim];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
            return data;
        }
        var single = Path.Combine(root, "gallery.npy");
        var entries = new List<StoreManifestShard>();
        using (var all = new NpyWriter(single, dim))
        {
            for (int s = 0; s < shards; s++)
            {
                var folder = StoreFiles.ShardFolder(store, s);
                Directory.CreateDirectory(folder);
                var rows = Rows(perShard);
                NpyWriter.Write(Path.Combine(folder, StoreFiles.Vectors), rows, dim);
                all.WriteRows(rows);
                File.WriteAllLines(Path.Combine(folder, StoreFiles.Rows),
                    new[] { "row,shard,key,caption,url,width,height" }.Concat(Enumerable.Range(0, perShard).Select(r => $"{r},{s},{s:D5}{r:D5},c,u,1,1")));
                entries.Add(new StoreManifestShard(s, $"{s:D5}.tar", (long)s * perShard, perShard, 0, "", ""));
            }
            all.Commit();
        }
        File.WriteAllText(Path.Combine(store, StoreFiles.Manifest), JsonSerializer.Serialize(
            new StoreManifest(StoreFiles.Format, "synthetic", dim, (long)shards * perShard, 0, entries), ShardEmbedder.Json));
        var queries = Path.Combine(root, "queries.npy");
        NpyWriter.Write(queries, Rows(nq), dim);

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
