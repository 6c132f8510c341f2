namespace Replication.Cli;

/// <summary>A mistake in the command line: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
