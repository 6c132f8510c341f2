using System.Diagnostics;
using Replication.Core.Compute;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;
using Replication.Core.Formats;

namespace Replication.Analyses.Benchmark;

/// <summary>
/// Exact-search benchmark cases on files: <see cref="WriteData"/> writes seeded random queries and gallery as .npy,
/// <see cref="Run"/> searches them block by block (as a scan does) under a memory budget and checks a few queries
/// against <see cref="ReferenceSearch"/>. Meant to run one case per process so that peak memory belongs to that case.
/// </summary>
public static class SearchBenchmark
{
    public static (string Queries, string Gallery) WriteData(SearchBenchCase c, string folder)
    {
        ArgumentNullException.ThrowIfNull(c);
        Directory.CreateDirectory(folder);
        string q = Path.Combine(folder, $"{c.Name}.q.npy"), g = Path.Combine(folder, $"{c.Name}.g.npy");
        WriteRandom(q, c.Queries, c.Dimension, 1);
        WriteRandom(g, c.Gallery, c.Dimension, 2);
        return (q, g);
    }

    private static void WriteRandom(string path, int rows, int dim, int seed)
    {
        var rng = new Random(seed);
        using var w = new NpyWriter(path, dim);
        int block = Math.Max(1, (16 << 20) / dim);
        var buf = new float[(long)block * dim];
        for (int r0 = 0; r0 < rows; r0 += block)
        {
            int n = Math.Min(block, rows - r0);
            for (long i = 0; i < (long)n * dim; i++) buf[i] = (float)rng.NextDouble() - 0.5f;
            w.WriteRows(buf.AsSpan(0, n * dim));
        }
        w.Commit();
    }

    public static SearchBenchResult Run(SearchBenchCase c, string queries, string gallery, long budgetBytes, int check, ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(c);
        var sim = Similarity.Parse(c.Metric, c.Chunks);
        using var q = NpyMatrix.Open(queries);
        using var g = NpyMatrix.Open(gallery);
        // warm-up on a small slice (session creation, arena)
        var qs = new float[Math.Min(c.Queries, 8) * c.Dimension];
        q.ReadRows(0, Math.Min(c.Queries, 8), qs);
        ExactSearch.Search(new InMemoryVectors(qs, c.Dimension), g.Rows > 64 ? new SliceSource(g, 64) : g, sim, c.K, device, memoryBudgetBytes: budgetBytes);
        var sw = Stopwatch.StartNew();
        var result = ExactSearch.Search(q, g, sim, c.K, device, memoryBudgetBytes: budgetBytes);
        sw.Stop();
        long peak = PeakResidentBytes();
        // reference on the first queries (after the peak was read: it needs the gallery in memory)
        check = Math.Min(check, c.Queries);
        var gAll = new float[(long)c.Gallery * c.Dimension];
        g.ReadRows(0, c.Gallery, gAll);
        var qCheck = new float[check * c.Dimension];
        q.ReadRows(0, check, qCheck);
        var reference = ReferenceSearch.Search(qCheck, gAll, c.Dimension, sim, c.K);
        double maxDiff = 0;
        int mismatches = 0;
        for (int i = 0; i < check * c.K; i++)
        {
            double d = Math.Abs(reference.Scores[i] - result.Scores[i]);
            maxDiff = Math.Max(maxDiff, d);
            if (reference.Indices[i] != result.Indices[i] && d > 1e-6) mismatches++;
        }
        return new SearchBenchResult(c, sw.Elapsed.TotalSeconds, c.Flops / sw.Elapsed.TotalSeconds / 1e9, peak, budgetBytes, check, maxDiff, mismatches);
    }

    /// <summary>The process's peak resident set (VmHWM from /proc/self/status), or −1 where that is not available.</summary>
    public static long PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return -1;
    }

    /// <summary>The first rows of a source.</summary>
    private sealed class SliceSource(IVectorSource inner, long rows) : IVectorSource
    {
        public long Count => Math.Min(rows, inner.Count);
        public int Dimension => inner.Dimension;
        public string Description => inner.Description;
        public void ReadRows(long start, int count, Span<float> destination) => inner.ReadRows(start, count, destination);
    }
}
