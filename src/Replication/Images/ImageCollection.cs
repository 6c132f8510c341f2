using System.Runtime.InteropServices;
using Replication.Core.Formats;

namespace Replication.Images;

/// <summary>
/// The images of a folder (recursive) or of a manifest CSV, always in the ordinal order of their relative
/// paths, so that embedding row i means the same image on every machine.
/// </summary>
public static class ImageCollection
{
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".tga"];

    /// <summary>A folder, or a manifest CSV with a <c>path</c> column (optional <c>caption</c>, <c>label</c>, <c>id</c>).</summary>
    public static IReadOnlyList<ImageRecord> Open(string folderOrManifest, bool followSymlinks = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderOrManifest);
        if (Directory.Exists(folderOrManifest))
            return FromFolder(folderOrManifest, followSymlinks);
        if (File.Exists(folderOrManifest))
            return FromManifest(folderOrManifest);
        throw new InputMissingException($"{folderOrManifest}: no such folder or manifest file", folderOrManifest);
    }

    /// <summary>
    /// The images under a folder (recursive, hidden names skipped), with entries that cannot be used kept as
    /// <see cref="ImageRecord.Refused"/> records (see <see cref="FolderListing"/>). Links that leave the folder are
    /// followed only with <paramref name="followSymlinks"/>.
    /// </summary>
    public static IReadOnlyList<ImageRecord> FromFolder(string folder, bool followSymlinks = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var listed = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
            ? FolderListing.List(folder, followSymlinks)
            : ListByDotNet(folder);
        var records = listed.OrderBy(r => r.RelativePath, StringComparer.Ordinal).ToList();
        if (!records.Any(r => r.Refused is null))
            throw new InputDataException($"{folder}: no images found (looked for {string.Join(", ", Extensions)})" +
                                           (records.Count > 0 ? $"; {records.Count} entries refused, the first: {records[0].RelativePath}: {records[0].Refused}" : ""));
        return records;
    }

    /// <summary>
    /// Elsewhere than Linux (x64, arm64): .NET's recursive listing, which neither detects symlink loops by device and inode
    /// (it follows links until the OS refuses) nor reports unreadable folders; only the paths through a link are kept out.
    /// </summary>
    private static List<ImageRecord> ListByDotNet(string folder)
    {
        var root = Path.GetFullPath(folder);
        return Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint })
            .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant()))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Select(rel => new ImageRecord(rel, Path.Combine(root, rel), rel))
            .ToList();
    }

    public static IReadOnlyList<ImageRecord> FromManifest(string manifest)
    {
        var table = CsvTable.Read(manifest);
        if (!table.HasColumn("path"))
            throw new InputDataException($"{manifest}: manifest needs a 'path' column (found: {string.Join(", ", table.Header)})");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var records = new List<ImageRecord>(table.Rows.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var outside = new List<string>();
        for (int i = 0; i < table.Rows.Count; i++)
        {
            var rel = table.Cell(i, "path")!.Trim();
            if (rel.Length == 0)
                throw new InputDataException($"{manifest}: row {i + 2} has an empty path");
            var full = Path.GetFullPath(Path.Combine(baseDir, rel));
            // a relative path that climbs out of the folder may be a mistake; an absolute path is written on purpose
            if (!Path.IsPathRooted(rel) && !full.StartsWith(Path.TrimEndingDirectorySeparator(baseDir) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                outside.Add(rel);
            var id = NullIfEmpty(table.Cell(i, "id")) ?? rel.Replace('\\', '/');
            if (!seen.Add(id))
                throw new InputDataException($"{manifest}: row {i + 2}: duplicate id '{id}'");
            records.Add(new ImageRecord(id, full, rel.Replace('\\', '/'), NullIfEmpty(table.Cell(i, "caption")), NullIfEmpty(table.Cell(i, "label"))));
        }
        if (records.Count == 0)
            throw new InputDataException($"{manifest}: manifest lists no images");
        if (outside.Count > 0) // used as listed (datasets are often spread over several folders), but never without a word
            Console.Error.WriteLine($"warning: {manifest}: {outside.Count} path{(outside.Count == 1 ? "" : "s")} lead{(outside.Count == 1 ? "s" : "")} outside the manifest's folder: " +
                                    $"{string.Join(", ", outside.Take(5))}{(outside.Count > 5 ? ", …" : "")}");
        return records.OrderBy(r => r.RelativePath, StringComparer.Ordinal).ToList();
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
