using System.Diagnostics;
using Replication.Search.Approximate;
using Replication.Core.Vectors;

namespace Replication.Tests.Search.Approximate;

/// <summary>
/// A measurement, not a check (runs only with <c>REPLICATION_HNSW_PROBE=1</c>): a synthetic gallery (default 100,000 × 512) indexed with
/// the default settings, then 1,000 queries searched approximately at several expansion settings with their recall against exact
/// search. Prints build time, query time and recall. <c>REPLICATION_HNSW_DATA</c>: <c>clustered</c> (1,000 centres, isotropic noise in
/// all 512 dimensions: within a cluster the neighbours are near-ties, the hard case) or <c>latent</c> (rows on a 32-dimensional
/// linear subspace plus small noise, as embeddings of natural images are of low intrinsic dimension; half the queries are
/// near-copies of gallery rows, the case replication detection is about, half fresh rows).
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
        bool latent = Environment.GetEnvironmentVariable("REPLICATION_HNSW_DATA") == "latent";
        var gallery = new InMemoryVectors(latent ? Latent(rows, dim, 11) : HnswIndexTests.Clustered(rows, dim, clusters, 0.3f, 11), dim, "gallery");
        var queries = new InMemoryVectors(latent ? LatentQueries(Latent(rows, dim, 11), nq, dim) : HnswIndexTests.Clustered(nq, dim, clusters, 0.3f, 11 + 1), dim, "queries");
        string folder = Fixtures.TempFolder();
        var watch = Stopwatch.StartNew();
        var info = HnswIndex.Build(gallery, folder);
        double build = watch.Elapsed.TotalSeconds;
        watch.Restart();
        using var index = HnswIndex.Open(folder, gallery);
        double open = watch.Elapsed.TotalSeconds;
        var lines = new List<string>
        {
            (latent ? $"gallery {rows} x {dim} (32-dim latent + noise 0.05; half the queries near-copies)" : $"gallery {rows} x {dim} ({clusters} clusters, spread 0.3)") + $", {nq} queries, M {info.Connectivity}, ef_add {info.ExpansionAdd}",
            $"build {build:F1} s ({rows / build:F0} rows/s), index {info.IndexBytes / 1e6:F0} MB, open (fingerprint + load) {open:F2} s",
        };
        foreach (int ef in new[] { 64, 256, 1024 })
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

    /// <summary>Rows W·z + 0.05·noise, z ~ N(0, I₃₂), W a fixed random 512 × 32 map (seeded).</summary>
    private static float[] Latent(int rows, int dim, int seed)
    {
        const int latent = 32;
        var rng = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var w = new float[dim * latent];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(Gauss() / Math.Sqrt(latent));
        var data = new float[(long)rows * dim];
        var z = new float[latent];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < latent; j++) z[j] = (float)Gauss();
            for (int d = 0; d < dim; d++)
            {
                float sum = 0;
                for (int j = 0; j < latent; j++) sum += w[d * latent + j] * z[j];
                data[(long)r * dim + d] = sum + 0.05f * (float)Gauss();
            }
        }
        return data;
    }

    /// <summary>Half near-copies of seeded gallery rows (noise 0.1 per value), half fresh rows of the same distribution.</summary>
    private static float[] LatentQueries(float[] gallery, int nq, int dim)
    {
        var fresh = Latent(nq, dim, 99);
        var rng = new Random(5);
        int rows = gallery.Length / dim;
        for (int q = 0; q < nq / 2; q++)
        {
            int source = rng.Next(rows);
            for (int d = 0; d < dim; d++)
                fresh[q * dim + d] = gallery[(long)source * dim + d] + 0.1f * (float)(rng.NextDouble() * 2 - 1);
        }
        return fresh;
    }
}
