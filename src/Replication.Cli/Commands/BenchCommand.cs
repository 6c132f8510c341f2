using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Replication.Benchmark;
using Replication.Demo;
using Replication.Features;
using Replication.Imaging;
using Replication.Search;
using Replication.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Cli.Commands;

public sealed class BenchCommand : Command
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<string> _images = OptionKinds.Text("--images", "image folder for the embedding benchmark (default: data/demo-sources)");
    private readonly Option<Setting<IReadOnlyList<int>>> _batches = OptionKinds.IntList("--batches", "batch sizes to compare, comma-separated", "1,4,8,16");
    private readonly Option<int> _nq = OptionKinds.Int("--nq", "search benchmark: queries", 2000);
    private readonly Option<int> _ng = OptionKinds.Int("--ng", "search benchmark: gallery rows", 200000);
    private readonly Option<int> _dim = OptionKinds.Int("--dim", "search benchmark: dimension", 512);
    private readonly Option<int> _k = OptionKinds.Int("--k", "search benchmark: k", 10);
    private readonly Option<int> _chunks = OptionKinds.Int("--chunks", "search benchmark: split-product chunks (must divide --dim)", 4);
    private readonly Option<int> _check = OptionKinds.Int("--check", "queries checked against the scalar reference", 20);
    private readonly Option<int> _tokens = OptionKinds.Int("--tokens", "token split-product case: tokens per row (49 = a 7×7 map, 197 = ViT-B/16)", 49);
    private readonly Option<int> _tokenDim = OptionKinds.Int("--token-dim", "token split-product case: dimension per token", 512);
    private readonly Option<int> _tokenNq = OptionKinds.Int("--token-nq", "token split-product case: queries", 256);
    private readonly Option<int> _tokenNg = OptionKinds.Int("--token-ng", "token split-product case: gallery rows", 4096);
    private readonly Option<int> _dinoNq = OptionKinds.Int("--dino-nq", "DINO-sized case (197 tokens × 768, split-product over tokens): queries", 256);
    private readonly Option<int> _dinoNg = OptionKinds.Int("--dino-ng", "DINO-sized case: gallery rows", 2048);
    private readonly Option<bool> _skipDino = OptionKinds.Flag("--skip-dino", "leave out the DINO-sized case");
    private readonly Option<Setting<long>> _searchMemory = CommonOptions.SearchMemory();
    private readonly Option<string> _runCase = OptionKinds.Text("--run-case", "(internal) run one search case given as JSON in this process and print its result as JSON");
    private readonly Option<string> _caseQueries = OptionKinds.Text("--case-queries", "(internal) queries .npy of --run-case");
    private readonly Option<string> _caseGallery = OptionKinds.Text("--case-gallery", "(internal) gallery .npy of --run-case");
    private readonly Option<string> _python = OptionKinds.Text("--python", "Python with faiss and numpy for the peer measurement (skipped when absent)", "/usr/bin/python3");
    private readonly Option<Setting<Compute.ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<bool> _skipEmbedding = OptionKinds.Flag("--skip-embedding", "only run the search benchmark");
    private readonly Option<bool> _skipSearch = OptionKinds.Flag("--skip-search", "only run the embedding benchmark");
    private readonly Option<bool> _skipJpeg = OptionKinds.Flag("--skip-jpeg", "skip the JPEG decoding benchmark");
    private readonly Option<string> _denoiser = OptionKinds.Text("--denoiser", "sampling benchmark: a denoiser card (C# DDIM on ONNX Runtime)");
    private readonly Option<string> _denoiserRun = OptionKinds.Text("--denoiser-run", "sampling benchmark: the denoiser's train_ddpm.py run folder, for the PyTorch sampler as the peer");
    private readonly Option<Setting<IReadOnlyList<int>>> _sampleBatches = OptionKinds.IntList("--sample-batches", "sampling benchmark: batch sizes", "8,32");
    private readonly Option<Setting<IReadOnlyList<int>>> _sampleSteps = OptionKinds.IntList("--sample-steps", "sampling benchmark: DDIM step counts", "10,50");
    private readonly Option<int> _sampleThreads = OptionKinds.Int("--sample-threads", "sampling benchmark: threads for both samplers (default: every core)", Environment.ProcessorCount, max: 1024);

    public BenchCommand() : base("bench", "measure JPEG decoding (libjpeg-turbo vs ImageSharp), embedding throughput (images/s) and exact-search GFLOP/s, with FAISS as a peer when available")
    {
        foreach (var o in new Option[] { _model, _images, _batches, _nq, _ng, _dim, _k, _chunks, _check, _tokens, _tokenDim, _tokenNq, _tokenNg, _dinoNq, _dinoNg,
                     _skipDino, _searchMemory, _runCase, _caseQueries, _caseGallery, _python, _device, _skipEmbedding, _skipSearch, _skipJpeg,
                     _denoiser, _denoiserRun, _sampleBatches, _sampleSteps, _sampleThreads })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult a)
    {
        if (a.GetValue(_runCase) is not null) return RunCase(a);
        // every option before the first measurement
        if (a.GetValue(_dim) % a.GetValue(_chunks) != 0)
            throw new UsageException($"--chunks {a.GetValue(_chunks)} does not divide --dim {a.GetValue(_dim)}", "--chunks");
        if (a.GetValue(_images) is { } images) CommonOptions.Existing(images, "--images", "folder");
        if (!a.GetValue(_skipEmbedding))
            foreach (var batch in a.GetValue(_batches).Value)
                CommonOptions.CheckBatch(batch, CommonOptions.CardOf(a.GetValue(_model)!));
        if (a.GetValue(_denoiser) is { } card)
        {
            CommonOptions.Existing(card, "--denoiser", "denoiser card");
            if (Diffusion.DenoiserCard.Load(card).Conditional)
                throw new UsageException($"--denoiser {card}: the sampling benchmark takes an unconditional denoiser (this one is class-conditional)", "--denoiser");
        }
        if (a.GetValue(_denoiserRun) is { } runFolder) CommonOptions.Existing(runFolder, "--denoiser-run", "run folder");
        if (a.GetValue(_sampleSteps).Value.FirstOrDefault(s => s > 1000) is int tooMany and > 0)
            throw new UsageException($"--sample-steps: {tooMany} is more than the 1000 training steps", "--sample-steps");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        if (!a.GetValue(_skipJpeg)) JpegDecodeBench(a);
        if (!a.GetValue(_skipEmbedding)) EmbeddingBench(a);
        if (!a.GetValue(_skipSearch)) SearchBench(a);
        if (a.GetValue(_denoiser) is not null) SamplingBench(a);
        return ExitCodes.Success;
    }

    /// <summary>DDIM sampling images/s in C# and, with --denoiser-run, the PyTorch sampler on the same weights, threads, batch and steps.</summary>
    private void SamplingBench(ParseResult a)
    {
        string card = a.GetValue(_denoiser)!;
        Console.WriteLine($"\nsampling ({DenoiserName(card)}, DDIM, η = 0; best of 2 after a warm-up; images/s):");
        foreach (int steps in a.GetValue(_sampleSteps).Value)
            foreach (int batch in a.GetValue(_sampleBatches).Value)
            {
                var ours = SamplingBenchmark.CSharp(card, batch, steps, a.GetValue(_sampleThreads));
                string line = FormattableString.Invariant($"  {steps,4} steps, batch {batch,3}: C# {ours.ImagesPerSecond,8:F2}");
                if (a.GetValue(_denoiserRun) is { } run)
                {
                    var peer = SamplingBenchmark.PyTorch(run, batch, steps, ours.Threads);
                    line += peer is null ? "   PyTorch: not installed"
                        : FormattableString.Invariant($"   PyTorch ({peer.Threads} threads) {peer.ImagesPerSecond,8:F2}   C#/PyTorch {ours.ImagesPerSecond / peer.ImagesPerSecond:F2}×");
                }
                Console.WriteLine(line);
            }
    }

    private static string DenoiserName(string card) => Diffusion.DenoiserCard.Load(card).Name;

    /// <summary>
    /// Single-threaded decode speed of the JPEG decoder (libjpeg-turbo via SkiaSharp) and of the ImageSharp path it
    /// replaced, on the same files in the same run: the image folder's images (default: the demo photos), each
    /// re-encoded as a baseline 4:2:0 quality-90 JPEG into a temporary folder (a fixed set: same bytes every run).
    /// </summary>
    private void JpegDecodeBench(ParseResult a)
    {
        string folder = a.GetValue(_images) ?? RepositoryPaths.DemoSources() ?? throw new UsageException("cannot find data/demo-sources from here; pass --images", "--images");
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

    private void EmbeddingBench(ParseResult a)
    {
        string folder = a.GetValue(_images) ?? RepositoryPaths.DemoSources() ?? throw new UsageException("cannot find data/demo-sources from here; pass --images", "--images");
        var found = ImageCollection.Open(folder);
        // at least 240 images (the folder repeated) and the median of 3 runs, so that one slow start does not decide
        var images = Enumerable.Repeat(found, (240 + found.Count - 1) / found.Count).SelectMany(x => x).ToList();
        var device = a.GetValue(_device).Value;
        var batches = a.GetValue(_batches).Value;
        foreach (var batch in batches)
        {
            // batch 1 of the built-in model runs its original fixed-batch graph, the others the rewritten one
            using var extractor = FeatureExtractor.Open(a.GetValue(_model)!, device, batched: batch > 1);
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

    private void SearchBench(ParseResult a)
    {
        int nq = a.GetValue(_nq), ng = a.GetValue(_ng), dim = a.GetValue(_dim), k = a.GetValue(_k), chunks = a.GetValue(_chunks), check = a.GetValue(_check);
        int tokens = a.GetValue(_tokens), tokenDim = a.GetValue(_tokenDim), tnq = a.GetValue(_tokenNq), tng = a.GetValue(_tokenNg);
        long budget = a.GetValue(_searchMemory).Value;
        var device = a.GetValue(_device).Value;
        // (data shape, metrics on it): every case's GFLOP/s counts 2·Nq·Ng·D
        var groups = new List<(SearchBenchCase Data, string[] Metrics)>
        {
            (new("vectors", "ip", nq, ng, chunks, dim / chunks, k), ["ip", "split"]),
            (new($"tokens{tokens}x{tokenDim}", "ip", tnq, tng, tokens, tokenDim, k), ["ip", "split", "split-cos"]),
        };
        if (!a.GetValue(_skipDino))
            groups.Add((new("dino197x768", "ip", a.GetValue(_dinoNq), a.GetValue(_dinoNg), 197, 768, k), ["ip", "split"]));
        string tmp = Directory.CreateTempSubdirectory("replication-bench").FullName;
        try
        {
            Console.WriteLine($"search: files on disk read block by block, memory budget {budget / (1 << 20)} MiB, each case in its own process (peak RSS = VmHWM)");
            foreach (var (data, metrics) in groups)
            {
                var (qPath, gPath) = SearchBenchmark.WriteData(data, tmp);
                double ipRate = double.NaN;
                foreach (var metric in metrics)
                {
                    var c = data with { Name = $"{data.Name}-{metric}", Metric = metric };
                    var r = RunChild(c, qPath, gPath, budget, Math.Min(check, metric == "ip" ? check : 8), device);
                    if (r is null) continue;
                    if (metric == "ip") ipRate = r.Gflops;
                    string label = metric == "ip" ? "ip" : $"{metric}{c.Chunks}";
                    string ratio = metric == "ip" || double.IsNaN(ipRate) ? "" : $" ({r.Gflops / ipRate:P0} of ip on the same data)";
                    Console.WriteLine($"search {label,-12} {c.Queries}x{c.Gallery}x({c.Chunks}x{c.ChunkDimension}) k={k}: {r.Seconds:F2} s, {r.Gflops:F1} GFLOP/s{ratio}; " +
                                      $"peak RSS {r.PeakResidentBytes / 1048576.0:F0} MiB; vs scalar reference on {r.CheckedQueries} queries: max |score diff| {r.MaxScoreDifference:E1}, non-tie index mismatches {r.IndexMismatches}");
                }
                if (data.Name == "vectors") RunFaissPeer(a.GetValue(_python)!, qPath, gPath, k);
                File.Delete(qPath);
                File.Delete(gPath);
            }
        }
        finally
        {
            Directory.Delete(tmp, true);
        }
    }

    /// <summary>Runs one search case in a child process of this CLI (<c>bench --run-case</c>) and reads its one-line JSON.</summary>
    private static SearchBenchResult? RunChild(SearchBenchCase c, string q, string g, long budget, int check, Compute.ComputeDevice device)
    {
        var psi = SelfInvocation();
        foreach (var arg in new[] { "bench", "--run-case", JsonSerializer.Serialize(c), "--case-queries", q, "--case-gallery", g,
                     "--search-memory", budget.ToString(CultureInfo.InvariantCulture), "--check", check.ToString(CultureInfo.InvariantCulture),
                     "--device", device == Compute.ComputeDevice.Cuda ? "cuda" : "cpu" })
            psi.ArgumentList.Add(arg);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            // the first line names the error (a stack trace follows it)
            Console.WriteLine($"search {c.Name}: failed (exit {p.ExitCode}): {stderr.Result.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim()}");
            return null;
        }
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (line is null)
        {
            Console.WriteLine($"search {c.Name}: the child printed no result");
            return null;
        }
        return JsonSerializer.Deserialize<SearchBenchResult>(line);
    }

    /// <summary>A process start for this same CLI: the apphost, or <c>dotnet Replication.Cli.dll</c>.</summary>
    private static ProcessStartInfo SelfInvocation()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            psi.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        return psi;
    }

    /// <summary>The child side of <see cref="RunChild"/>.</summary>
    private int RunCase(ParseResult a)
    {
        var c = JsonSerializer.Deserialize<SearchBenchCase>(a.GetValue(_runCase)!) ?? throw new UsageException("--run-case: empty", "--run-case");
        var r = SearchBenchmark.Run(c, a.GetValue(_caseQueries) ?? throw new UsageException("--run-case needs --case-queries", "--case-queries"),
            a.GetValue(_caseGallery) ?? throw new UsageException("--run-case needs --case-gallery", "--case-gallery"), a.GetValue(_searchMemory).Value, a.GetValue(_check), a.GetValue(_device).Value);
        Console.WriteLine(JsonSerializer.Serialize(r));
        return ExitCodes.Success;
    }

    /// <summary>
    /// FAISS IndexFlatIP and NumPy on the same files, run twice so that the peer gets its best BLAS kernel:
    /// (1) with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment (set on some machines, they pin OpenBLAS to
    /// a slower kernel); (2) with OPENBLAS_CORETYPE set but empty, which on this machine's virtual Xeon makes OpenBLAS 0.3.21
    /// pick Cooperlake (about 135 GFLOP/s in sgemm) where its detection without the variable falls back to Prescott (about 28).
    /// Each run prints the kernel it used (python3-threadpoolctl).
    /// </summary>
    private static void RunFaissPeer(string python, string qPath, string gPath, int k)
    {
        string? script = RepositoryPaths.Root() is { } root ? Path.Combine(root, "tests", "peers", "faiss_flat_ip.py") : null;
        if (!File.Exists(python) || script is null || !File.Exists(script))
        {
            Console.WriteLine("faiss peer: skipped (needs /usr/bin/python3 with python3-faiss and tests/peers/faiss_flat_ip.py)");
            return;
        }
        foreach (var (label, coretype) in new[] { ("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset", (string?)null), ("OPENBLAS_CORETYPE set empty (OpenBLAS's own detection)", "") })
        {
            var psi = new ProcessStartInfo(python, [script, qPath, gPath, k.ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment.Remove("OPENBLAS_CORETYPE");
            psi.Environment.Remove("OPENBLAS_L2_SIZE");
            if (coretype is not null) psi.Environment["OPENBLAS_CORETYPE"] = coretype;
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Console.WriteLine($"faiss peer ({label}):");
            Console.WriteLine(p.ExitCode == 0 ? "  " + output.TrimEnd().Replace("\n", "\n  ") : $"  failed: {err.Result.Split('\n').LastOrDefault(l => l.Length > 0)}");
        }
    }
}
