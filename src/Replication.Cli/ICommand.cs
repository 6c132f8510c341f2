namespace Replication.Cli;

public interface ICommand
{
    string Name { get; }
    string Summary { get; }
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Whether the command takes positional arguments and options beyond <see cref="Options"/>.</summary>
    bool Open => false;
    int Run(CommandArgs args);
}
