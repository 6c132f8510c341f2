namespace Replication.Cli;

public interface ICommand
{
    string Name { get; }
    string Summary { get; }
    IReadOnlyList<OptionSpec> Options { get; }
    int Run(CommandArgs args);
}
