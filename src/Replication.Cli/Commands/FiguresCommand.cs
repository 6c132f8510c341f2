using Replication.Figures;

namespace Replication.Cli.Commands;

/// <summary>The CLI twin of every notebook: the same library calls with the same parameters, written as files.</summary>
public sealed class FiguresCommand : ICommand
{
    public string Name => "figures";
    public string Summary => "run a notebook's figure without the kernel: figures <id> [--param value ...] [--out DIR] (figures --list for the parameters)";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("list", "list the figures and their parameters", IsFlag: true),
        new("out", "output folder for the figure files (default out/figures/<id>)"),
    ];

    /// <summary>Figure parameters differ per figure, so they arrive as extra options.</summary>
    public bool Open => true;

    public int Run(CommandArgs a)
    {
        if (a.Flag("list") || a.Positionals.Count == 0)
        {
            foreach (var f in FigureCatalog.All)
            {
                Console.WriteLine($"{f.Id}: {f.Title}");
                foreach (var (option, type, value) in FigureParameterBinder.Describe(f.DefaultParameters))
                    Console.WriteLine($"    {option,-22} {type,-8} default {value}");
            }
            return a.Positionals.Count == 0 && !a.Flag("list") ? 2 : 0;
        }
        if (a.Positionals.Count > 1)
            throw new UsageException($"figures: one figure at a time, got {string.Join(", ", a.Positionals)}");
        var figure = FigureCatalog.Find(a.Positionals[0]);
        var parameters = FigureParameterBinder.Bind(figure.DefaultParameters, a.Extra);
        var output = figure.Run(parameters);
        var written = FigureWriter.Write(output, a.Get("out") ?? Path.Combine("out", "figures", figure.Id));
        foreach (var file in written) Console.WriteLine(file);
        return 0;
    }
}
