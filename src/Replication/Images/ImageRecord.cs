namespace Replication.Images;

/// <summary>One input image: a stable id, where it is, and optional manifest metadata.</summary>
/// <param name="Id">Manifest id, or the path relative to the folder.</param>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="RelativePath">Path relative to the folder or manifest it came from ('/' separated).</param>
/// <param name="Crop">Optional region (left, top, right, bottom in pixels, right/bottom exclusive) cut out right after
/// decoding, e.g. the query boxes of revisited Oxford and Paris.</param>
/// <param name="Refused">Why this entry of a folder cannot be used (a symbolic link loop, a link out of the folder, a folder that
/// cannot be listed, a name that is not UTF-8); such a record is never opened and is reported as skipped with this reason.</param>
public sealed record ImageRecord(string Id, string Path, string RelativePath, string? Caption = null, string? Label = null, CropBox? Crop = null,
    string? Refused = null);
