namespace Replication;

/// <summary>
/// A file or data set the user gave exists but cannot be used: malformed, inconsistent with another input, or with nothing
/// usable in it. The message names the file and, where there is one, the line, entry or field.
/// </summary>
public class InputDataException(string message, Exception? inner = null) : UserInputException(message, inner);
