using Replication.Diffusion;
using Replication.Features;
using Spectre.Console;

namespace Replication.Cli.Commands;

public sealed class TrainCommand : ICommand
{
    public string Name => "train";
    public string Summary => "train (or resume) a DDPM with models/ddpm/train_ddpm.py (PyTorch), showing its progress; optionally export it";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("preset", "celeba-300, celeba-3000, flowers-100, flowers-1083, flowers-8189 (the paper's), clipart-32, clipart-256, clipart-1024 (CPU scale)", Required: true),
        new("data", "manifest CSV of the training images (the subsets command writes them)", Required: true),
        new("run", "run folder: checkpoint, log, milestones; an existing one is resumed", Required: true),
        new("steps", "override the preset's step budget"),
        new("threads", "PyTorch threads", "1"),
        new("conditional", "class-conditional on the manifest's label column", IsFlag: true),
        new("export", "after training, export the denoiser (ONNX, card, PyTorch references) to this folder"),
    ];

    public int Run(CommandArgs a)
    {
        var args = new List<string> { "train", "--preset", a.Require("preset"), "--data", a.Require("data"), "--run", a.Require("run"), "--threads", a.Require("threads") };
        if (a.Get("steps") is { } steps) args.AddRange(["--steps", steps]);
        if (a.Flag("conditional")) args.Add("--conditional");
        int code = Show(args);
        if (code != 0) return code;
        if (a.Get("export") is { } export)
            code = TrainingRunner.Run(["export", "--run", a.Require("run"), "--out", export], log: Console.WriteLine);
        return code;
    }

    private static int Show(List<string> args)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return TrainingRunner.Run(args, new CallbackProgress<TrainingProgress>(p =>
            {
                if (p.Step % 500 == 0 || p.Step == p.Total) Console.WriteLine($"training: {p.Step}/{p.Total} ({100.0 * p.Step / p.Total:F0}%, loss {p.Loss:F4}, {p.StepsPerSecond:F2} steps/s)");
            }), Console.WriteLine);
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
                    task.Description = $"training {p.Step}/{p.Total} (loss {p.Loss:F4}, {p.StepsPerSecond:F2} steps/s)";
                }), line => AnsiConsole.MarkupLine(Markup.Escape(line)));
            });
        return code;
    }
}
