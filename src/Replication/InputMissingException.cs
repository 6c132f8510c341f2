namespace Replication;

/// <summary>A file or folder the user named does not exist (<see cref="Path"/>); the message says which option or list named it.</summary>
public sealed class InputMissingException(string message, string path, Exception? inner = null) : UserInputException(message, inner)
{
    public string Path { get; } = path;
}
