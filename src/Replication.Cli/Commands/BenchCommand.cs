using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Replication.Analyses.Benchmark;
using Replication.Core;
using Replication.Embeddings;
using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Cli.Commands;

public sealed class BenchCommand : Command
{
    private readonly Option<string> _model = CommonOptions.Model(BuiltinModels.ResNet18Name);
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
    private readonly Option<Setting<Replication.Core.Compute.ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<bool> _skipEmbedding = OptionKinds.Flag("--skip-embedding", "only run the search benchmark");
    private readonly Option<bool> _skipSearch = OptionKinds.Flag("--skip-search", "only run the embedding benchmark");
    private readonly Option<bool> _skipJpeg = OptionKinds.Flag("--skip-jpeg", "skip the JPEG decoding benchmark");
    private readonly Option<string> _denoiser = OptionKinds.Text("--denoiser", "sampling benchmark: a denoiser card (C# DDIM on ONNX Runtime)");
    private readonly Option<string> _denoiserRun = OptionKinds.Text("--denoiser-run", "sampling benchmark: the denoiser's train_ddpm.py run folder, for the PyTorch sampler as the peer");
    private readonly Option<Setting<IReadOnlyList<int>>> _sampleBatches = OptionKinds.IntList("--sample-batches", "sampling benchmark: batch sizes", "8,32");
    private readonly Option<Setting<IReadOnlyList<int>>> _sampleSteps = OptionKinds.IntList("--sample-steps", "sampling benchmark: DDIM step counts", "10,50");
    private readonly Option<bool> _skipStore = OptionKinds.Flag("--skip-store", "leave out the store-scale case (a synthetic embedding store searched shard by shard)");
    private readonly Option<int> _storeRows = OptionKinds.Int("--store-rows", "store-scale case: rows of the synthetic store", 1_000_000);
    private readonly Option<int> _storeShards = OptionKinds.Int("--store-shards", "store-scale case: shards (the rows split evenly)", 100);
    private readonly Option<int> _storeQueries = OptionKinds.Int("--store-queries", "store-scale case: queries", 9000);
    private readonly Option<int> _storeDim = OptionKinds.Int("--store-dim", "store-scale case: dimension", 512, max: 65536);
    private readonly Option<int> _storeK = OptionKinds.Int("--store-k", "store-scale case: k", 10);
    private readonly Option<Setting<IReadOnlyList<double>>> _storeFractions = OptionKinds.Setting<IReadOnlyList<double>>("--store-fractions",
        "store-scale case: gallery sizes searched in stages, as fractions of the shards (same shard size; peak RSS per size shows whether memory grows with the gallery)",
        "0.25,0.5,1", ParseFractions);
    private readonly Option<double> _storeInMemory = OptionKinds.Number("--store-in-memory", "store-scale case: the fraction of the shards searched as one in-memory array for comparison (0: none)", "0.25", 0, 1);
    private readonly Option<string> _storeFolder = OptionKinds.Text("--store-folder", "store-scale case: where the synthetic store, queries and outputs go (reused when complete for the same sizes; default: under the system temp folder)");
    private readonly Option<bool> _keepStore = OptionKinds.Flag("--keep-store", "store-scale case: keep the synthetic store and queries at the end (to reuse them)");
    private readonly Option<string> _runStoreCase = OptionKinds.Text("--run-store-case", "(internal) run one store-scale case given as JSON in this process and print its result as JSON");
    private readonly Option<int> _sampleThreads = OptionKinds.Int("--sample-threads", "sampling benchmark: threads for both samplers (default: every core)", Environment.ProcessorCount, max: 1024);

    public BenchCommand() : base("bench", "measure JPEG decoding (libjpeg-turbo vs ImageSharp), embedding throughput (images/s) and exact-search GFLOP/s, with FAISS as a peer when available")
    {
        foreach (var o in new Option[] { _model, _images, _batches, _nq, _ng, _dim, _k, _chunks, _check, _tokens, _tokenDim, _tokenNq, _tokenNg, _dinoNq, _dinoNg,
                     _skipDino, _searchMemory, _runCase, _caseQueries, _caseGallery, _python, _device, _skipEmbedding, _skipSearch, _skipJpeg,
                     _denoiser, _denoiserRun, _sampleBatches, _sampleSteps, _sampleThreads, _skipStore, _storeRows, _storeShards, _storeQueries, _storeDim,
                     _storeK, _storeFractions, _storeInMemory, _storeFolder, _keepStore, _runStoreCase })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult a)
    {
        if (a.GetValue(_runCase) is not null) return RunCase(a);
        if (a.GetValue(_runStoreCase) is not null) return RunStoreCase(a);
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
            if (Replication.Data.Diffusion.DenoiserCard.Load(card).Conditional)
                throw new UsageException($"--denoiser {card}: the sampling benchmark takes an unconditional denoiser (this one is class-conditional)", "--denoiser");
        }
        if (a.GetValue(_denoiserRun) is { } runFolder) CommonOptions.Existing(runFolder, "--denoiser-run", "run folder");
        if (a.GetValue(_sampleSteps).Value.FirstOrDefault(s => s > 1000) is int tooMany and > 0)
            throw new UsageException($"--sample-steps: {tooMany} is more than the 1000 training steps", "--sample-steps");
        var storeParameters = new SyntheticStore.Parameters(a.GetValue(_storeRows), a.GetValue(_storeShards), a.GetValue(_storeDim));
        if (!a.GetValue(_skipStore)) storeParameters.Validate();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        if (!a.GetValue(_skipJpeg)) JpegDecodeBench(a);
        if (!a.GetValue(_skipEmbedding)) EmbeddingBench(a);
        if (!a.GetValue(_skipSearch)) SearchBench(a);
        if (!a.GetValue(_skipStore)) StoreBench(a, storeParameters);
        if (a.GetValue(_denoiser) is not null) SamplingBench(a);
        return ExitCodes.Success;
    }

    private static IReadOnlyList<double> ParseFractions(string text) => text.Split(',').Select(s =>
        double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f > 0 && f <= 1
            ? f
            : throw new UsageException($"--store-fractions: '{s}' is not a fraction in (0, 1] (give a comma-separated list such as 0.25,0.5,1)", "--store-fractions")).ToList();

    private static readonly JsonSerializerOptions StoreJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The machine's load average (/proc/loadavg: 1, 5, 15 minutes), or "unknown".</summary>
    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    /// <summary>
    /// The store-scale case: a synthetic store (written once, reused when complete), searched in stages (<c>StoreSearch</c>: a part
    /// per gallery shard, then the merge) over the first fractions of its shards, and the first fraction searched in memory as one
    /// array for comparison, each in its own child process (peak RSS = VmHWM). GFLOP/s counts 2·Nq·Ng·D over the whole search.
    /// </summary>
    private void StoreBench(ParseResult a, SyntheticStore.Parameters p)
    {
        int nq = a.GetValue(_storeQueries), k = a.GetValue(_storeK);
        long budget = a.GetValue(_searchMemory).Value;
        var device = a.GetValue(_device).Value;
        string root = a.GetValue(_storeFolder) ?? Path.Combine(Path.GetTempPath(), "replication-store-bench");
        string store = Path.Combine(root, "store"), queries = Path.Combine(root, $"queries-{nq}x{p.Dimension}.npy"), views = Path.Combine(root, "views"),
            runs = Path.Combine(root, "runs");
        Console.WriteLine($"\nstore scale: synthetic store of {p.Rows:N0} rows × {p.Dimension} in {p.Shards} shards ({p.RowsOf(0):N0} rows each), {nq:N0} queries, k {k}, " +
                          $"inner product, memory budget {budget / (1 << 20)} MiB, each case in its own process (peak RSS = VmHWM); load average at start {LoadAverage()}");
        try
        {
            var sw = Stopwatch.StartNew();
            var (_, reused) = SyntheticStore.Write(store, p);
            if (!File.Exists(queries)) SyntheticStore.WriteQueries(queries, nq, p.Dimension, seed: 2);
            Console.WriteLine(reused ? $"  store reused from {store}" : $"  store written to {store} in {sw.Elapsed.TotalSeconds:F1} s ({StoreBytes(store) / 1e9:F2} GB)");
            var cases = new List<StoreBenchCase>();
            foreach (double f in a.GetValue(_storeFractions).Value.Distinct().Order())
            {
                int m = Math.Clamp((int)Math.Round(f * p.Shards), 1, p.Shards);
                if (cases.Any(c => c.Shards == m)) continue;
                string view = m == p.Shards ? store : Path.Combine(views, $"{m:D5}");
                if (m < p.Shards) SyntheticStore.WriteView(store, view, m);
                long rows = Enumerable.Range(0, m).Sum(p.RowsOf);
                cases.Add(new StoreBenchCase($"staged {m}/{p.Shards} shards", StoreBenchCase.Staged, view, queries, Path.Combine(runs, $"staged-{m:D5}"), k, m, rows, nq, p.Dimension));
            }
            if (a.GetValue(_storeInMemory) is > 0 and var fm)
            {
                int m = Math.Clamp((int)Math.Round(fm * p.Shards), 1, p.Shards);
                long rows = Enumerable.Range(0, m).Sum(p.RowsOf);
                cases.Add(new StoreBenchCase($"in-memory {m}/{p.Shards} shards", StoreBenchCase.InMemory, store, queries, "", k, m, rows, nq, p.Dimension));
            }
            Console.WriteLine($"  {"case",-28} {"gallery rows",12} {"GFLOP",9} {"time s",9} {"GFLOP/s",8} {"merge s",8} {"merge %",8} {"peak RSS MiB",12}");
            var results = new List<StoreBenchResult>();
            foreach (var c in cases)
            {
                var r = RunStoreChild(c, budget, device);
                if (r is null) continue;
                results.Add(r);
                string merge = double.IsNaN(r.MergeSeconds) ? $"{"-",8} {"-",8}" : $"{r.MergeSeconds,8:F2} {r.MergeShare,8:P1}";
                Console.WriteLine($"  {c.Name,-28} {c.GalleryRows,12:N0} {c.Flops / 1e9,9:F1} {r.Seconds,9:F1} {r.Gflops,8:F1} {merge} {r.PeakResidentBytes / 1048576.0,12:F0}");
            }
            var staged = results.Where(r => r.Case.Kind == StoreBenchCase.Staged).ToList();
            var inMemory = results.FirstOrDefault(r => r.Case.Kind == StoreBenchCase.InMemory);
            if (staged.Count > 0)
            {
                var largest = staged[^1];
                Console.WriteLine($"  merge share at {largest.Case.GalleryRows:N0} rows: {largest.MergeShare:P1} of the staged time (goal < 5%)");
                Console.WriteLine($"  peak RSS by gallery size: {string.Join(", ", staged.Select(r => $"{r.Case.GalleryRows:N0} rows {r.PeakResidentBytes / 1048576.0:F0} MiB"))}" +
                                  (staged.Count > 1 ? $" (largest/smallest {staged[^1].PeakResidentBytes / (double)staged[0].PeakResidentBytes:F2}; goal: flat)" : ""));
                if (inMemory is not null)
                {
                    var same = staged.FirstOrDefault(r => r.Case.Shards == inMemory.Case.Shards);
                    Console.WriteLine($"  out-of-core / in-memory GFLOP/s: {largest.Case.GalleryRows:N0} rows staged {largest.Gflops:F1} / {inMemory.Case.GalleryRows:N0} rows in memory {inMemory.Gflops:F1} = {largest.Gflops / inMemory.Gflops:P0}" +
                                      (same is not null && same != largest ? $"; same size staged {same.Gflops:F1} = {same.Gflops / inMemory.Gflops:P0}" : "") + " (goal ≥ 90%)");
                }
            }
            Console.WriteLine($"  load average at end {LoadAverage()}");
        }
        finally
        {
            if (Directory.Exists(runs)) Directory.Delete(runs, true);
            if (Directory.Exists(views)) Directory.Delete(views, true);
            if (!a.GetValue(_keepStore))
            {
                if (Directory.Exists(store)) Directory.Delete(store, true);
                if (File.Exists(queries)) File.Delete(queries);
                if (Directory.Exists(root) && !Directory.EnumerateFileSystemEntries(root).Any()) Directory.Delete(root);
            }
        }
    }

    private static long StoreBytes(string store) =>
        new DirectoryInfo(store).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>Runs one store case in a child process of this CLI (<c>bench --run-store-case</c>) and reads its one-line JSON.</summary>
    private static StoreBenchResult? RunStoreChild(StoreBenchCase c, long budget, Replication.Core.Compute.ComputeDevice device) =>
        ChildJson<StoreBenchResult>(["bench", "--run-store-case", JsonSerializer.Serialize(c, StoreJson), "--search-memory", budget.ToString(CultureInfo.InvariantCulture),
            "--device", device == Replication.Core.Compute.ComputeDevice.Cuda ? "cuda" : "cpu"], $"  {c.Name}", StoreJson);

    /// <summary>The child side of <see cref="RunStoreChild"/>.</summary>
    private int RunStoreCase(ParseResult a)
    {
        var c = JsonSerializer.Deserialize<StoreBenchCase>(a.GetValue(_runStoreCase)!, StoreJson) ?? throw new UsageException("--run-store-case: empty", "--run-store-case");
        var r = StoreBenchmark.Run(c, a.GetValue(_searchMemory).Value, a.GetValue(_device).Value);
        Console.WriteLine(JsonSerializer.Serialize(r, StoreJson));
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

    private static string DenoiserName(string card) => Replication.Data.Diffusion.DenoiserCard.Load(card).Name;

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
    private static SearchBenchResult? RunChild(SearchBenchCase c, string q, string g, long budget, int check, Replication.Core.Compute.ComputeDevice device) =>
        ChildJson<SearchBenchResult>(["bench", "--run-case", JsonSerializer.Serialize(c), "--case-queries", q, "--case-gallery", g,
            "--search-memory", budget.ToString(CultureInfo.InvariantCulture), "--check", check.ToString(CultureInfo.InvariantCulture),
            "--device", device == Replication.Core.Compute.ComputeDevice.Cuda ? "cuda" : "cpu"], $"search {c.Name}", null);

    /// <summary>Runs this CLI with <paramref name="args"/> in a child process (its own peak RSS) and reads the last JSON line it printed;
    /// null, with one line naming <paramref name="label"/> and the child's first error line, when it fails.</summary>
    private static T? ChildJson<T>(IEnumerable<string> args, string label, JsonSerializerOptions? json) where T : class
    {
        var psi = SelfInvocation();
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            // the first line names the error (a stack trace follows it)
            Console.WriteLine($"{label}: failed (exit {p.ExitCode}): {stderr.Result.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim()}");
            return null;
        }
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (line is null)
        {
            Console.WriteLine($"{label}: the child printed no result");
            return null;
        }
        return JsonSerializer.Deserialize<T>(line, json);
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
