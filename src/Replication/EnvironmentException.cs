namespace Replication;

/// <summary>
/// The machine lacks something the run needs that is not an input: a native library, a tool, a file of this installation
/// (the chart renderer), or a platform. The message says what is missing and how to get it.
/// </summary>
public sealed class EnvironmentException(string message, Exception? inner = null) : UserInputException(message, inner);
