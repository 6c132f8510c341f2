namespace Replication;

/// <summary>
/// An option or parameter value that makes no sense (out of range, not one of the allowed values, two options that do not go
/// together) or a command line that cannot be parsed. The library throws <see cref="ParameterException"/>, which names the
/// parameter; <see cref="Option"/> is set only by the CLI, for an option it parsed itself.
/// </summary>
public class UsageException(string message, string? option = null) : UserInputException(message)
{
    /// <summary>The option at fault as written on the command line (<c>--gallery-rows</c>), or null when no single one is.</summary>
    public string? Option { get; } = option;
}
