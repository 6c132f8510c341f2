using Replication.Cli;
using Replication.Cli.Commands;
using Replication.Imaging;

ICommand[] commands = [new ScanCommand(), new EmbedCommand(), new SearchCommand(), new DemoCommand(), new BenchCommand(), new CheckModelCommand(), new CopiesCommand(), new EvaluateCommand(), new FiguresCommand(), new SubsetsCommand(), new SampleCommand(), new TrainCommand()];

void PrintUsage()
{
    Console.WriteLine("replication: find out whether generated images copy their training data.\n");
    Console.WriteLine("usage: replication <command> [options]    (replication <command> --help for its options)\n");
    foreach (var c in commands) Console.WriteLine($"  {c.Name,-8} {c.Summary}");
}

if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    PrintUsage();
    return args.Length == 0 ? 2 : 0;
}
var command = commands.FirstOrDefault(c => c.Name == args[0]);
if (command is null)
{
    Console.Error.WriteLine($"error: unknown command '{args[0]}'");
    PrintUsage();
    return 2;
}
try
{
    var parsed = new CommandArgs(command.Name, args[1..], command.Options, command.Open);
    if (parsed.Help)
    {
        Console.WriteLine($"replication {command.Name}: {command.Summary}\n\noptions:");
        foreach (var o in command.Options)
            Console.WriteLine($"  --{o.Name}{(o.IsFlag ? "" : " VALUE"),-8} {o.Help}{(o.Default is null ? "" : $" (default: {o.Default})")}{(o.Required ? " (required)" : "")}");
        return 0;
    }
    return command.Run(parsed);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (Exception e) when (e is Replication.Figures.FigureParameterException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or ImageDecodeException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
