namespace Replication.Images;

/// <summary>An image that cannot be used, with the file and the reason in words.</summary>
public sealed class ImageDecodeException(string path, string reason, Exception? inner = null)
    : InputDataException($"{path}: {reason}", inner)
{
    public string FilePath { get; } = path;
    public string Reason { get; } = reason;
}
