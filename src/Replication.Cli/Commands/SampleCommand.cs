using System.CommandLine;
using System.Globalization;
using Replication.Core.Compute;
using Replication.Data.Diffusion;

namespace Replication.Cli.Commands;

public sealed class SampleCommand : Command
{
    private readonly Option<string> _denoiser = OptionKinds.Text("--denoiser", "denoiser card JSON (models/ddpm/train_ddpm.py export writes one)", required: true);
    private readonly Option<int> _count = OptionKinds.Int("--count", "images to draw", 16, max: 10_000_000);
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder (NNNNNN.png, manifest.csv, sample.json); an interrupted run resumes", required: true);
    private readonly Option<string> _sampler = OptionKinds.Choice("--sampler", "ddim, or ddpm (ancestral, every training step)", "ddim", "ddim", "ddpm");
    private readonly Option<int> _steps = OptionKinds.Int("--steps", "DDIM steps (ddpm takes every training step)", 50, max: 1000, why: "at most the training steps");
    private readonly Option<double> _eta = OptionKinds.Number("--eta", "DDIM stochasticity η (0: deterministic)", "0", 0, 1);
    private readonly Option<Setting<ulong>> _seed = OptionKinds.Setting("--seed", "seed: image i depends only on (seed, i)", "0", text =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : throw new UsageException($"--seed must be a whole number ≥ 0, not '{text}'", "--seed"));
    private readonly Option<string> _classes = OptionKinds.Text("--classes", "class-conditional denoisers: comma-separated class names drawn in turn (default: all of the card's)");
    private readonly Option<double> _guidance = OptionKinds.Number("--guidance", "classifier-free guidance scale for class-conditional cards with a nullClass (1: none)", "1", -100, 100);
    private readonly Option<int> _batch = OptionKinds.Int("--batch", "images per network call", 16, max: 4096);
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();

    public SampleCommand() : base("sample", "draw images from a DDPM denoiser card (DDIM or DDPM, seeded, resumable) into a folder with a manifest")
    {
        foreach (var o in new Option[] { _denoiser, _count, _out, _sampler, _steps, _eta, _seed, _classes, _guidance, _batch, _device }) Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string card = CommonOptions.Existing(p.GetValue(_denoiser)!, "--denoiser", "denoiser card");
        var kind = p.GetValue(_sampler) == "ddpm" ? SamplerKind.Ddpm : SamplerKind.Ddim;
        var options = new SampleOptions
        {
            Denoiser = card, OutputFolder = p.GetValue(_out)!, Count = p.GetValue(_count), BatchSize = p.GetValue(_batch), Seed = p.GetValue(_seed)!.Value,
            Sampler = new SamplerSettings(kind, kind == SamplerKind.Ddpm ? 1000 : p.GetValue(_steps), p.GetValue(_eta), p.GetValue(_guidance)), Device = p.GetValue(_device)!.Value,
            Classes = p.GetValue(_classes)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        };
        var result = ConsoleProgress.Run(progress => SampleJob.Run(options, progress.Embedding?.Invoke("sampling")));
        Console.WriteLine($"{result.Count} images in {result.Folder} ({result.Reused} reused" +
                          (result.ImagesPerSecond > 0 ? $", {result.ImagesPerSecond.ToString("F2", CultureInfo.InvariantCulture)} images/s with {result.NetworkCallsPerBatch} network calls per batch" : "") +
                          $"); manifest {result.Manifest}");
        return ExitCodes.Success;
    }
}
