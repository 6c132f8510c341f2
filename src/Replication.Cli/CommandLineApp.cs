using System.CommandLine;
using System.CommandLine.Invocation;
using Replication.Cli.Commands;

namespace Replication.Cli;

/// <summary>
/// The <c>replication</c> command line on System.CommandLine: every command and option, help generated from them (with
/// defaults), and the error model: a command-line mistake is one line and <see cref="ExitCodes.Usage"/>; an exception from
/// a command ends as <see cref="ErrorReport"/> says.
/// </summary>
public static class CommandLineApp
{
    public const string Description = "replication: find out whether generated images copy their training data.";

    public static RootCommand Build()
    {
        var root = new RootCommand(Description)
        {
            new ScanCommand(), new EmbedCommand(), new SearchCommand(), new DemoCommand(), new BenchCommand(),
            new CheckModelCommand(), new CopiesCommand(), new EvaluateCommand(), new FiguresCommand(),
            new SubsetsCommand(), new TrainCommand(), new SampleCommand(), new GuidanceCommand(), new CalibrateCommand(), new DuplicateCommand(), new PackCommand(), new SearchStoreCommand(), new IndexCommand(), new PromptsCommand(), new CaseStudyCommand(),
            new ClusterCommand(),
        };
        return root;
    }

    /// <summary>Runs the command line; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = Build();
        try
        {
            if (args.Length == 0)
            {
                root.Parse(["--help"]).Invoke();
                return ExitCodes.Usage;
            }
            if (MissingValue(root, args) is { } missing)
                return UsageError(missing.Command, missing.Message);
            var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (result.Action is ParseErrorAction)
                return UsageError(result.CommandResult.Command == root ? null : FullName(result.CommandResult), Describe(result));
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            Console.Out.Flush();
            return ErrorReport.Write(e, Console.Error);
        }
    }

    /// <summary>A word that the parser reads as the next option rather than a value: <c>--</c> and a name.</summary>
    public static bool LooksLikeOption(string word) => word.StartsWith("--", StringComparison.Ordinal) && word.Length > 2;

    /// <summary>
    /// An option that takes a value followed by another option (<c>--generated --training T</c>) has no value: the next option
    /// is never taken as one (write <c>--name=--value</c> for a value that starts with <c>--</c>).
    /// </summary>
    private static (string Command, string Message)? MissingValue(RootCommand root, string[] args)
    {
        var command = root.Subcommands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null) return null;
        int first = 1;
        string name = command.Name;
        // a command with subcommands (index build): the options are the subcommand's
        while (first < args.Length && command.Subcommands.FirstOrDefault(c => c.Name == args[first]) is { } sub)
        {
            command = sub;
            name += " " + sub.Name;
            first++;
        }
        for (int i = first; i < args.Length; i++)
        {
            var option = command.Options.FirstOrDefault(o => o.Name == args[i] || o.Aliases.Contains(args[i]));
            if (option is null || option.Arity.MaximumNumberOfValues == 0) continue;
            if (i + 1 >= args.Length || LooksLikeOption(args[i + 1]))
                return (name, $"{args[i]} needs a value");
            i++;
        }
        return null;
    }

    /// <summary>The command's words after <c>replication</c> (<c>index build</c>).</summary>
    private static string FullName(System.CommandLine.Parsing.CommandResult result)
    {
        var words = new List<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            words.Insert(0, r.Command.Name);
        return string.Join(" ", words);
    }

    private static string Describe(ParseResult result)
    {
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            if (result.CommandResult.Command is RootCommand)
                return token.StartsWith('-') ? $"unknown option {token}" : $"unknown command '{token}'";
            return token.StartsWith('-') ? $"unknown option {token}" : $"unexpected argument '{token}'";
        }
        return string.Join("; ", result.Errors.Select(e => e.Message.Split('\n')[0].Trim().TrimEnd('.')).Distinct());
    }

    private static int UsageError(string? command, string message)
    {
        Console.Error.WriteLine(command is null
            ? $"error: {message} (see 'replication --help')"
            : $"error: {command}: {message} (see 'replication {command} --help')");
        return ExitCodes.Usage;
    }
}
