using System.CommandLine;
using Replication.Data.Diffusion;
using Replication.Embeddings;
using Spectre.Console;

namespace Replication.Cli.Commands;

public sealed class TrainCommand : Command
{
    private readonly Option<string> _preset = OptionKinds.Choice("--preset", "the paper's Appendix B.1 settings or the CPU-scale ones (models/ddpm/train_ddpm.py)", null,
        "celeba-300", "celeba-3000", "flowers-100", "flowers-1083", "flowers-8189", "clipart-32", "clipart-256", "clipart-1024", "clipart-classes", "glyphs-16", "glyphs-64", "glyphs-256", "glyphs-1024", "glyphs-4096", "tiny-test");
    private readonly Option<string> _data = OptionKinds.Text("--data", "manifest CSV of the training images (the subsets command writes them)", required: true);
    private readonly Option<string> _run = OptionKinds.Text("--run", "run folder: checkpoint, log, milestones; an existing one is resumed", required: true);
    private readonly Option<int?> _steps = new("--steps") { Description = "override the preset's step budget" };
    private readonly Option<int> _threads = OptionKinds.Int("--threads", "PyTorch threads", 1, max: 1024);
    private readonly Option<bool> _conditional = OptionKinds.Flag("--conditional", "class-conditional on the manifest's label column");
    private readonly Option<double> _labelDropout = OptionKinds.Number("--label-dropout", "with --conditional: probability of the null class in training, for classifier-free guidance (0: none)", "0.1", 0, 0.99);
    private readonly Option<string> _export = OptionKinds.Text("--export", "after training, export the denoiser (ONNX, card, PyTorch references) to this folder");

    public TrainCommand() : base("train", "train (or resume) a DDPM with models/ddpm/train_ddpm.py (PyTorch), shown as a progress bar; optionally export it")
    {
        _preset.Required = true;
        _steps.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--steps must be a whole number ≥ 1"); });
        foreach (var o in new Option[] { _preset, _data, _run, _steps, _threads, _conditional, _labelDropout, _export }) Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string data = CommonOptions.Existing(p.GetValue(_data)!, "--data", "manifest");
        string run = p.GetValue(_run)!;
        TrainingRunner.CheckEnvironment(TrainingRunner.Python()); // one line before anything starts
        var args = new List<string> { "train", "--preset", p.GetValue(_preset)!, "--data", data, "--run", run, "--threads", $"{p.GetValue(_threads)}" };
        if (p.GetValue(_steps) is int steps) args.AddRange(["--steps", $"{steps}"]);
        if (p.GetValue(_conditional)) args.AddRange(["--conditional", "--label-dropout", p.GetValue(_labelDropout).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        int code = Show(args);
        if (code != 0) return code;
        if (p.GetValue(_export) is { } export)
            code = TrainingRunner.Run(["export", "--run", run, "--out", export], log: Console.WriteLine);
        return code;
    }

    private static int Show(List<string> args)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return TrainingRunner.Run(args, new CallbackProgress<TrainingProgress>(p =>
            {
                if (p.Step % 500 == 0 || p.Step == p.Total)
                    Console.WriteLine(FormattableString.Invariant($"training: {p.Step}/{p.Total} ({100.0 * p.Step / p.Total:F0}%, loss {p.Loss:F4}, {p.StepsPerSecond:F2} steps/s)"));
            }), Console.Error.WriteLine);
        int code = 0;
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                code = TrainingRunner.Run(args, new CallbackProgress<TrainingProgress>(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Step;
                    task.Description = FormattableString.Invariant($"training {p.Step}/{p.Total} (loss {p.Loss:F4}, {p.StepsPerSecond:F2} steps/s)");
                }), line => AnsiConsole.MarkupLine(Markup.Escape(line)));
            });
        return code;
    }
}
