using System.CommandLine;
using System.Globalization;
using Replication.Analyses.PerClass;
using Replication.Core.Compute;

namespace Replication.Cli.Commands;

/// <summary>Chooses a class-conditional denoiser's guidance scale by its own-class rate (<see cref="GuidanceChoice"/>) and, with
/// --write-card, records it on the card (notebook 03 samples at the card's scale).</summary>
public sealed class GuidanceCommand : Command
{
    private readonly Option<string> _denoiser = OptionKinds.Text("--denoiser", "class-conditional denoiser card JSON (trained with a null class for scales other than 1)", required: true);
    private readonly Option<string> _training = OptionKinds.Text("--training", "the labelled training manifest the denoiser was trained on", required: true);
    private readonly Option<string> _scales = OptionKinds.Text("--scales", "comma-separated guidance scales to measure", "1,2,3,5");
    private readonly Option<int> _perClass = OptionKinds.Int("--per-class", "generations per class and scale", 8, max: 100_000);
    private readonly Option<int> _steps = OptionKinds.Int("--steps", "DDIM steps", 50, max: 1000, why: "at most the training steps");
    private readonly Option<string> _model = OptionKinds.Text("--model", "extractor that finds each generation's nearest training image", "pixels");
    private readonly Option<string> _work = OptionKinds.Text("--work-folder", "where samples and embeddings go (reused on a rerun)", required: true);
    private readonly Option<bool> _write = OptionKinds.Flag("--write-card", "record the chosen scale and the measurement on the card (guidance, guidanceMeasured)");
    private readonly Option<int> _batch = OptionKinds.Int("--batch", "images per network call", 32, max: 4096);
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();

    public GuidanceCommand() : base("guidance", "measure a class-conditional denoiser's own-class rate (nearest training image) per guidance scale and choose the scale")
    {
        foreach (var o in new Option[] { _denoiser, _training, _scales, _perClass, _steps, _model, _work, _write, _batch, _device }) Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string card = CommonOptions.Existing(p.GetValue(_denoiser)!, "--denoiser", "denoiser card");
        string training = CommonOptions.Existing(p.GetValue(_training)!, "--training", "training manifest");
        var scales = p.GetValue(_scales)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                ? v : throw new UsageException($"--scales: '{t}' is not a number", "--scales")).ToList();
        if (scales.Count == 0) throw new UsageException("--scales: give at least one guidance scale", "--scales");
        var options = new GuidanceOptions
        {
            Denoiser = card, Training = training, WorkFolder = p.GetValue(_work)!, Scales = scales, PerClass = p.GetValue(_perClass),
            Steps = p.GetValue(_steps), Model = p.GetValue(_model)!, SampleBatch = p.GetValue(_batch), Device = p.GetValue(_device)!.Value,
        };
        var result = ConsoleProgress.Run(progress => GuidanceChoice.Run(options, progress));
        Console.WriteLine(result.Describe());
        if (p.GetValue(_write))
        {
            GuidanceChoice.WriteToCard(card, result);
            Console.WriteLine($"written to {card}");
        }
        return ExitCodes.Success;
    }
}
