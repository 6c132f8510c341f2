using Replication.Figures;

namespace Replication.Cli.Commands;

/// <summary>The CLI twin of every notebook: the same library calls with the same parameters, written as files.</summary>
public sealed class FiguresCommand : ICommand
{
    public string Name => "figures";
    public string Summary => "run a notebook's figure without the kernel: figures <id> [--param value ...] [--out DIR] (figures --list)";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("list", "list the figures and their parameters", IsFlag: true),
        new("out", "output folder for the figure files", "out/figures/<id>"),
    ];

    /// <summary>Figure parameters are per figure, so this command parses its own arguments.</summary>
    public int Run(string[] args)
    {
        if (args.Length == 0 || args.Contains("--list"))
        {
            foreach (var f in FigureCatalog.All)
            {
                Console.WriteLine($"{f.Id}: {f.Title}");
                foreach (var (option, type, value) in FigureParameterBinder.Describe(f.DefaultParameters))
                    Console.WriteLine($"    {option,-22} {type,-8} default {value}");
            }
            return 0;
        }
        var figure = FigureCatalog.Find(args[0]);
        var values = new Dictionary<string, string>();
        string? outDir = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--") || i + 1 >= args.Length)
                throw new UsageException($"figures: expected --name value pairs, got '{args[i]}'");
            string name = args[i][2..], value = args[++i];
            if (name == "out") outDir = value;
            else values[name] = value;
        }
        var parameters = FigureParameterBinder.Bind(figure.DefaultParameters, values);
        var output = figure.Run(parameters);
        var written = FigureWriter.Write(output, outDir ?? Path.Combine("out", "figures", figure.Id));
        foreach (var file in written) Console.WriteLine(file);
        return 0;
    }

    public int Run(CommandArgs args) => throw new NotSupportedException();
}
