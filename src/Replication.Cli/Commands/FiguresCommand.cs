using System.CommandLine;
using Replication.Figures;

namespace Replication.Cli.Commands;

/// <summary>
/// The CLI twin of every notebook: the same library calls with the same parameters, written as files. The figure's id and
/// its parameters (<c>--name value</c> or <c>--name=value</c>, different for each figure) are read here, not by the parser;
/// they are checked by the figure's own binder and validation, and their errors name the options.
/// </summary>
public sealed class FiguresCommand : Command
{
    private readonly Option<bool> _list = OptionKinds.Flag("--list", "list the figures and their parameters");
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder for the figure files (default out/figures/<id>)");
    private readonly Argument<string[]> _rest = new("figure") { Description = "the figure's id, then its parameters as --name value (figures --list shows them)", Arity = ArgumentArity.ZeroOrMore };

    public FiguresCommand() : base("figures", "run a notebook's figure without the kernel: figures <id> [--param value ...] [--out DIR] (figures --list for the parameters)")
    {
        Options.Add(_list);
        Options.Add(_out);
        Arguments.Add(_rest);
        TreatUnmatchedTokensAsErrors = false;
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        var (positionals, parameters) = Split(p.GetValue(_rest) ?? []);
        if (p.GetValue(_list) || positionals.Count == 0)
        {
            foreach (var f in FigureCatalog.All)
            {
                Console.WriteLine($"{f.Id}: {f.Title}");
                foreach (var (option, type, value) in FigureParameterBinder.Describe(f.DefaultParameters))
                    Console.WriteLine($"    {option,-22} {type,-8} default {value}");
            }
            return positionals.Count == 0 && !p.GetValue(_list) ? ExitCodes.Usage : ExitCodes.Success;
        }
        if (positionals.Count > 1)
            throw new UsageException($"figures: one figure at a time, got {string.Join(", ", positionals)}");
        var figure = FigureCatalog.Find(positionals[0]);
        var bound = FigureParameterBinder.Bind(figure.DefaultParameters, parameters);
        var output = figure.Run(bound);
        var written = FigureWriter.Write(output, p.GetValue(_out) ?? Path.Combine("out", "figures", figure.Id));
        foreach (var file in written) Console.WriteLine(file);
        return ExitCodes.Success;
    }

    /// <summary>Positional words and <c>--name value</c> / <c>--name=value</c> pairs; a name followed by another option has no value.</summary>
    internal static (List<string> Positionals, Dictionary<string, string> Parameters) Split(IReadOnlyList<string> words)
    {
        var positionals = new List<string>();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
        {
            string w = words[i];
            if (!w.StartsWith("--", StringComparison.Ordinal) || w.Length == 2)
            {
                positionals.Add(w);
                continue;
            }
            string name = w[2..];
            int eq = name.IndexOf('=');
            if (eq >= 0)
            {
                parameters[name[..eq]] = name[(eq + 1)..];
                continue;
            }
            if (i + 1 >= words.Count || CommandLineApp.LooksLikeOption(words[i + 1]))
                throw new UsageException($"figures: --{name} needs a value", "--" + name);
            parameters[name] = words[++i];
        }
        return (positionals, parameters);
    }
}
