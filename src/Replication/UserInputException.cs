namespace Replication;

/// <summary>
/// Something the user gave cannot be used: an option, a parameter, a file, or the machine it runs on. The message says
/// what and why in one line, naming the option, parameter or file; it is not a bug. The subtypes are the whole error
/// model: <see cref="UsageException"/>, <see cref="InputDataException"/>, <see cref="InputMissingException"/> and
/// <see cref="EnvironmentException"/>; the CLI maps each to its exit code in one place (Replication.Cli.ExitCodes).
/// Any other exception is a bug.
/// </summary>
public abstract class UserInputException(string message, Exception? inner = null) : Exception(message, inner);
