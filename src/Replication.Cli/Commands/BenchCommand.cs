using System.Diagnostics;
using System.Globalization;
using Replication.Demo;
using Replication.Features;
using Replication.Imaging;
using Replication.Search;
using Replication.Storage;

namespace Replication.Cli.Commands;

public sealed class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "measure embedding throughput (images/s) and exact-search GFLOP/s, with FAISS as a peer when available";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        CommonOptions.Model,
        new("images", "image folder for the embedding benchmark (default: data/demo-sources)"),
        new("batches", "batch sizes to compare, comma-separated", "1,4,8,16"),
        new("nq", "search benchmark: queries", "2000"),
        new("ng", "search benchmark: gallery rows", "200000"),
        new("dim", "search benchmark: dimension", "512"),
        new("k", "search benchmark: k", "10"),
        new("chunks", "search benchmark: split-product chunks", "4"),
        new("check", "queries checked against the scalar reference", "20"),
        new("python", "Python with faiss and numpy for the peer measurement (skipped when absent)", "/usr/bin/python3"),
        CommonOptions.Device,
        new("skip-embedding", "only run the search benchmark", IsFlag: true),
        new("skip-search", "only run the embedding benchmark", IsFlag: true),
    ];

    public int Run(CommandArgs a)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        if (!a.Flag("skip-embedding")) EmbeddingBench(a);
        if (!a.Flag("skip-search")) SearchBench(a);
        return 0;
    }

    private static void EmbeddingBench(CommandArgs a)
    {
        string folder = a.Get("images") ?? RepositoryPaths.DemoSources() ?? throw new UsageException("pass --images");
        var images = ImageCollection.Open(folder);
        var device = CommonOptions.ParseDevice(a);
        foreach (var batch in a.Require("batches").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            // batch 1 of the built-in model runs its original fixed-batch graph, the others the rewritten one
            using var extractor = FeatureExtractor.Open(a.Require("model"), device, batched: batch > 1);
            EmbeddingPipeline.Run(images.Take(Math.Min(images.Count, 2 * batch)).ToList(), extractor, batch); // warm-up
            var sw = Stopwatch.StartNew();
            var set = EmbeddingPipeline.Run(images, extractor, batch);
            sw.Stop();
            Console.WriteLine($"embed {extractor.Card.Name} batch {batch,2}: {set.Count / sw.Elapsed.TotalSeconds,7:F1} images/s ({set.Count} images incl. decode+preprocess, {extractor.Device})");
        }
    }

    private static void SearchBench(CommandArgs a)
    {
        int nq = a.Int("nq"), ng = a.Int("ng"), dim = a.Int("dim"), k = a.Int("k"), chunks = a.Int("chunks"), check = a.Int("check");
        var rng = new Random(1);
        var q = new float[(long)nq * dim];
        var g = new float[(long)ng * dim];
        for (long i = 0; i < q.Length; i++) q[i] = (float)rng.NextDouble() - 0.5f;
        for (long i = 0; i < g.Length; i++) g[i] = (float)rng.NextDouble() - 0.5f;
        VectorMath.NormalizeRows(q, dim);
        VectorMath.NormalizeRows(g, dim);
        double flops = 2.0 * nq * ng * dim;
        var device = CommonOptions.ParseDevice(a);
        foreach (var sim in new[] { Similarity.InnerProduct, Similarity.SplitProduct(chunks) })
        {
            ExactSearch.Search(new InMemoryVectors(q[..(Math.Min(nq, 64) * dim)], dim), new InMemoryVectors(g[..(Math.Min(ng, 20000) * dim)], dim), sim, k, device);
            var sw = Stopwatch.StartNew();
            var result = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), sim, k, device);
            sw.Stop();
            var reference = ReferenceSearch.Search(q[..(check * dim)], g, dim, sim, k);
            int mismatches = 0;
            double maxDiff = 0;
            for (int i = 0; i < check * k; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(reference.Scores[i] - result.Scores[i]));
                if (reference.Indices[i] != result.Indices[i] && Math.Abs(reference.Scores[i] - result.Scores[i]) > 1e-6) mismatches++;
            }
            Console.WriteLine($"search {sim,-7} {nq}x{ng}x{dim} k={k}: {sw.Elapsed.TotalSeconds:F2} s, {flops / sw.Elapsed.TotalSeconds / 1e9:F1} GFLOP/s; " +
                              $"vs scalar reference on {check} queries: max |score diff| {maxDiff:E1}, non-tie index mismatches {mismatches}");
        }
        RunFaissPeer(a.Require("python"), q, g, nq, ng, dim, k);
    }

    private static void RunFaissPeer(string python, float[] q, float[] g, int nq, int ng, int dim, int k)
    {
        string? script = RepositoryPaths.Root() is { } root ? Path.Combine(root, "tests", "peers", "faiss_flat_ip.py") : null;
        if (!File.Exists(python) || script is null || !File.Exists(script))
        {
            Console.WriteLine("faiss peer: skipped (needs /usr/bin/python3 with python3-faiss and tests/peers/faiss_flat_ip.py)");
            return;
        }
        string tmp = Directory.CreateTempSubdirectory("replication-bench").FullName;
        try
        {
            NpyWriter.Write(Path.Combine(tmp, "q.npy"), q, dim);
            NpyWriter.Write(Path.Combine(tmp, "g.npy"), g, dim);
            var psi = new ProcessStartInfo(python, [script, Path.Combine(tmp, "q.npy"), Path.Combine(tmp, "g.npy"), k.ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Console.WriteLine(p.ExitCode == 0 ? output.TrimEnd() : $"faiss peer failed: {err.Split('\n').LastOrDefault(l => l.Length > 0)}");
        }
        finally
        {
            Directory.Delete(tmp, true);
        }
    }
}
