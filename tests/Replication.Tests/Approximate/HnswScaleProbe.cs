using System.Diagnostics;
using Replication.Approximate;
using Replication.Storage;

namespace Replication.Tests.Approximate;

/// <summary>
/// A measurement, not a check (runs only with <c>REPLICATION_HNSW_PROBE=1</c>): a synthetic clustered gallery (default 100,000 × 512,
/// 1,000 centres) indexed with the default settings, then 1,000 queries from the same distribution searched approximately at
/// several expansion settings with their recall against exact search. Prints build time, query time and recall.
/// </summary>
public class HnswScaleProbe
{
    [SkippableFact]
    public void BuildQueryRecall()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("REPLICATION_HNSW_PROBE") == "1", "a measurement: set REPLICATION_HNSW_PROBE=1 to run it");
        int rows = int.Parse(Environment.GetEnvironmentVariable("REPLICATION_HNSW_ROWS") ?? "100000");
        int nq = int.Parse(Environment.GetEnvironmentVariable("REPLICATION_HNSW_QUERIES") ?? "1000");
        const int dim = 512, clusters = 1000;
        var gallery = new InMemoryVectors(HnswIndexTests.Clustered(rows, dim, clusters, 0.3f, 11), dim, "gallery");
        var queries = new InMemoryVectors(HnswIndexTests.Clustered(nq, dim, clusters, 0.3f, 11 + 1), dim, "queries");
        string folder = Fixtures.TempFolder();
        var watch = Stopwatch.StartNew();
        var info = HnswIndex.Build(gallery, folder);
        double build = watch.Elapsed.TotalSeconds;
        watch.Restart();
        using var index = HnswIndex.Open(folder, gallery);
        double open = watch.Elapsed.TotalSeconds;
        var lines = new List<string>
        {
            $"gallery {rows} x {dim} ({clusters} clusters, spread 0.3), {nq} queries, M {info.Connectivity}, ef_add {info.ExpansionAdd}",
            $"build {build:F1} s ({rows / build:F0} rows/s), index {info.IndexBytes / 1e6:F0} MB, open (fingerprint + load) {open:F2} s",
        };
        foreach (int ef in new[] { 16, 64, 256 })
        {
            var r = ApproximateSearch.Run(queries, gallery, index, k: 10, expansionSearch: ef);
            lines.Add($"ef {ef}: approximate {r.SearchSeconds:F2} s ({r.SearchSeconds / nq * 1e3:F2} ms/query), exact {r.Recall.ExactSeconds:F2} s, " +
                      $"recall@1 {r.Recall.RecallAt1:F4}, recall@10 {r.Recall.RecallAt10:F4}");
        }
        string text = string.Join("\n", lines) + "\n";
        Console.WriteLine(text);
        File.WriteAllText(Environment.GetEnvironmentVariable("REPLICATION_PROBE_OUT") ?? Path.Combine(folder, "probe.txt"), text);
        Directory.Delete(folder, true);
    }
}
