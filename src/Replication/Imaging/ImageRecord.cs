namespace Replication.Imaging;

/// <summary>One input image: a stable id, where it is, and optional manifest metadata.</summary>
/// <param name="Id">Manifest id, or the path relative to the folder.</param>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="RelativePath">Path relative to the folder or manifest it came from ('/' separated).</param>
public sealed record ImageRecord(string Id, string Path, string RelativePath, string? Caption = null, string? Label = null);
