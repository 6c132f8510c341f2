using System.Diagnostics;
using System.Globalization;
using Replication.Demo;
using Replication.Features;
using Replication.Imaging;
using Replication.Search;
using Replication.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Cli.Commands;

public sealed class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "measure JPEG decoding (libjpeg-turbo vs ImageSharp), embedding throughput (images/s) and exact-search GFLOP/s, with FAISS as a peer when available";

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
        new("tokens", "token split-product case: tokens per row (49 = a 7×7 map, 197 = ViT-B/16)", "49"),
        new("token-dim", "token split-product case: dimension per token", "512"),
        new("token-nq", "token split-product case: queries", "256"),
        new("token-ng", "token split-product case: gallery rows", "4096"),
        new("python", "Python with faiss and numpy for the peer measurement (skipped when absent)", "/usr/bin/python3"),
        CommonOptions.Device,
        new("skip-embedding", "only run the search benchmark", IsFlag: true),
        new("skip-search", "only run the embedding benchmark", IsFlag: true),
        new("skip-jpeg", "skip the JPEG decoding benchmark", IsFlag: true),
    ];

    public int Run(CommandArgs a)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        if (!a.Flag("skip-jpeg")) JpegDecodeBench(a);
        if (!a.Flag("skip-embedding")) EmbeddingBench(a);
        if (!a.Flag("skip-search")) SearchBench(a);
        return 0;
    }

    /// <summary>
    /// Single-threaded decode speed of the JPEG decoder (libjpeg-turbo via SkiaSharp) and of the ImageSharp path it
    /// replaced, on the same files in the same run: the image folder's images (default: the demo photos), each
    /// re-encoded as a baseline 4:2:0 quality-90 JPEG into a temporary folder (a fixed set: same bytes every run).
    /// </summary>
    private static void JpegDecodeBench(CommandArgs a)
    {
        string folder = a.Get("images") ?? RepositoryPaths.DemoSources() ?? throw new UsageException("pass --images");
        string tmp = Directory.CreateTempSubdirectory("replication-jpeg-bench").FullName;
        try
        {
            var files = new List<string>();
            long pixels = 0;
            foreach (var record in ImageCollection.Open(folder))
            {
                RgbImage img;
                try { img = ImageDecoder.Decode(record.Path); }
                catch (ImageDecodeException) { continue; }
                string path = Path.Combine(tmp, $"{files.Count:D4}.jpg");
                using (var encoded = Image.LoadPixelData<Rgb24>(img.Pixels, img.Width, img.Height))
                    encoded.SaveAsJpeg(path, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 });
                files.Add(path);
                pixels += (long)img.Width * img.Height;
            }
            if (files.Count == 0)
            {
                Console.WriteLine("jpeg decode: skipped (no images in " + folder + ")");
                return;
            }
            // at least ~40 megapixels per decoder and run (the set repeated), the two decoders alternating pass by pass so
            // that a change in the machine's load hits both alike; median of 3 runs
            int repeat = (int)Math.Max(1, (40_000_000 + pixels - 1) / pixels);
            Func<string, RgbImage>[] decoders = [f => LibjpegTurboDecoder.Decode(f, ImageDecoder.DefaultMaxPixels), f => ImageDecoder.DecodeWithImageSharp(f)];
            foreach (var decode in decoders)
                foreach (var f in files) decode(f); // warm-up
            var rates = new List<double>[] { [], [] };
            for (int run = 0; run < 3; run++)
            {
                var elapsed = new TimeSpan[decoders.Length];
                for (int r = 0; r < repeat; r++)
                    for (int d = 0; d < decoders.Length; d++)
                    {
                        var sw = Stopwatch.StartNew();
                        foreach (var f in files) decoders[d](f);
                        elapsed[d] += sw.Elapsed;
                    }
                for (int d = 0; d < decoders.Length; d++)
                    rates[d].Add(repeat * pixels / 1e6 / elapsed[d].TotalSeconds);
            }
            foreach (var r in rates) r.Sort();
            double turbo = rates[0][1], sharp = rates[1][1];
            double mpPerImage = pixels / 1e6 / files.Count;
            Console.WriteLine($"jpeg decode ({files.Count} images, {pixels / 1e6:F1} MP, 4:2:0 q90, 1 thread, median of 3 runs): " +
                              $"libjpeg-turbo (SkiaSharp) {turbo:F1} MP/s ({turbo / mpPerImage:F1} images/s), " +
                              $"ImageSharp {sharp:F1} MP/s ({sharp / mpPerImage:F1} images/s), ratio {turbo / sharp:F2}x");
        }
        finally
        {
            Directory.Delete(tmp, true);
        }
    }

    private static void EmbeddingBench(CommandArgs a)
    {
        string folder = a.Get("images") ?? RepositoryPaths.DemoSources() ?? throw new UsageException("pass --images");
        var found = ImageCollection.Open(folder);
        // at least 240 images (the folder repeated) and the median of 3 runs, so that one slow start does not decide
        var images = Enumerable.Repeat(found, (240 + found.Count - 1) / found.Count).SelectMany(x => x).ToList();
        var device = CommonOptions.ParseDevice(a);
        foreach (var batch in a.Require("batches").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            // batch 1 of the built-in model runs its original fixed-batch graph, the others the rewritten one
            using var extractor = FeatureExtractor.Open(a.Require("model"), device, batched: batch > 1);
            EmbeddingPipeline.Run(images.Take(Math.Min(images.Count, 4 * batch)).ToList(), extractor, batch); // warm-up
            var rates = new List<double>();
            for (int run = 0; run < 3; run++)
            {
                var sw = Stopwatch.StartNew();
                var set = EmbeddingPipeline.Run(images, extractor, batch);
                rates.Add(set.Count / sw.Elapsed.TotalSeconds);
            }
            rates.Sort();
            Console.WriteLine($"embed {extractor.Card.Name} batch {batch,2}: {rates[1],7:F1} images/s (median of 3 runs over {images.Count} images incl. decode+preprocess; range {rates[0]:F1}–{rates[2]:F1}; {extractor.Device})");
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
        TokenSplitBench(a.Int("token-nq"), a.Int("token-ng"), a.Int("tokens"), a.Int("token-dim"), k, Math.Min(check, 8), device);
    }

    /// <summary>Split-product over token rows (one chunk per token), as batched matrix products.</summary>
    private static void TokenSplitBench(int nq, int ng, int tokens, int tokenDim, int k, int check, Compute.ComputeDevice device)
    {
        int dim = tokens * tokenDim;
        var rng = new Random(2);
        var q = new float[(long)nq * dim];
        var g = new float[(long)ng * dim];
        for (long i = 0; i < q.Length; i++) q[i] = (float)rng.NextDouble() - 0.5f;
        for (long i = 0; i < g.Length; i++) g[i] = (float)rng.NextDouble() - 0.5f;
        var sim = Similarity.SplitProduct(tokens);
        ExactSearch.Search(new InMemoryVectors(q[..(8 * dim)], dim), new InMemoryVectors(g[..(Math.Min(ng, 512) * dim)], dim), sim, k, device);
        var sw = Stopwatch.StartNew();
        var result = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), sim, k, device);
        sw.Stop();
        var reference = ReferenceSearch.Search(q[..(check * dim)], g, dim, sim, k);
        double maxDiff = Enumerable.Range(0, check * k).Max(i => Math.Abs(reference.Scores[i] - result.Scores[i]));
        Console.WriteLine($"search split{tokens} over tokens {nq}x{ng}x({tokens}x{tokenDim}) k={k}: {sw.Elapsed.TotalSeconds:F2} s, " +
                          $"{2.0 * nq * ng * dim / sw.Elapsed.TotalSeconds / 1e9:F1} GFLOP/s; vs scalar reference on {check} queries: max |score diff| {maxDiff:E1}");
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
