namespace Replication;

/// <summary>
/// An option or parameter value that makes no sense (out of range, not one of the allowed values, two options that do not go
/// together) or a command line that cannot be parsed. <see cref="Option"/> names the option as the user wrote it (<c>--k</c>).
/// </summary>
public class UsageException(string message, string? option = null) : UserInputException(message)
{
    /// <summary>The option at fault as written on the command line (<c>--gallery-rows</c>), or null when no single one is.</summary>
    public string? Option { get; } = option;
}
