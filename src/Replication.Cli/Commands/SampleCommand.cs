using System.Globalization;
using Replication.Diffusion;

namespace Replication.Cli.Commands;

public sealed class SampleCommand : ICommand
{
    public string Name => "sample";
    public string Summary => "draw images from a DDPM denoiser card (DDPM or DDIM, seeded, resumable) into DIR with a manifest";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("denoiser", "denoiser card JSON (models/ddpm/train_ddpm.py export writes one)", Required: true),
        new("count", "images to draw", Required: true),
        new("out", "output folder (NNNNNN.png, manifest.csv, sample.json); an interrupted run resumes", Required: true),
        new("sampler", "ddim or ddpm (ancestral, every training step)", "ddim"),
        new("steps", "DDIM steps (ignored by ddpm)", "50"),
        new("eta", "DDIM stochasticity η (0: deterministic)", "0"),
        new("seed", "seed: image i depends only on (seed, i)", "0"),
        new("classes", "class-conditional denoisers: comma-separated class names drawn in turn (default: all of the card's)"),
        CommonOptions.Batch, CommonOptions.Device,
    ];

    public int Run(CommandArgs a)
    {
        int count = PositiveInt(a, "count");
        int batch = PositiveInt(a, "batch");
        var kind = a.Require("sampler") switch
        {
            "ddim" => SamplerKind.Ddim,
            "ddpm" => SamplerKind.Ddpm,
            var s => throw new UsageException($"--sampler must be ddim or ddpm, not '{s}'"),
        };
        int steps = PositiveInt(a, "steps");
        if (kind == SamplerKind.Ddim && steps > 1000) throw new UsageException("--steps must be at most the model's training steps (1000)");
        if (!double.TryParse(a.Require("eta"), NumberStyles.Float, CultureInfo.InvariantCulture, out double eta) || !(eta >= 0 && eta <= 1))
            throw new UsageException("--eta must be a number in [0, 1]");
        if (!ulong.TryParse(a.Require("seed"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            throw new UsageException("--seed must be a whole number ≥ 0");
        var classes = a.Get("classes")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var options = new SampleOptions
        {
            Denoiser = a.Require("denoiser"), OutputFolder = a.Require("out"), Count = count, BatchSize = batch, Seed = seed,
            Sampler = new SamplerSettings(kind, kind == SamplerKind.Ddpm ? 1000 : steps, eta), Device = CommonOptions.ParseDevice(a), Classes = classes,
        };
        var result = ConsoleProgress.Run(p => SampleJob.Run(options, p.Embedding?.Invoke("sampling")));
        Console.WriteLine($"{result.Count} images in {result.Folder} ({result.Reused} reused{(result.ImagesPerSecond > 0 ? $", {result.ImagesPerSecond:F2} images/s with {result.NetworkCallsPerBatch} network calls per batch" : "")}); manifest {result.Manifest}");
        return 0;
    }

    private static int PositiveInt(CommandArgs a, string name) =>
        int.TryParse(a.Require(name), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v : throw new UsageException($"--{name} must be a whole number ≥ 1");
}
