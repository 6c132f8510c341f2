using System.Text;

namespace Replication.Images;

/// <summary>
/// Lists the images under a folder by the bytes of their names and the identity (device + inode) of their folders.
/// Every folder is listed at most once, so a symbolic link loop cannot repeat images; a link whose target lies outside
/// the input folder is not followed unless <c>followSymlinks</c>; a folder that cannot be listed and a name that is not
/// UTF-8 (which .NET cannot open) are kept as refused records, so that they are reported in skipped.csv with their reason.
/// The folder given itself may be a symbolic link (datasets often live on shared storage).
/// </summary>
internal sealed class FolderListing
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _root;
    private readonly FileId _rootId;
    private readonly bool _followSymlinks;
    private readonly Dictionary<FileId, string> _listed = [];
    private readonly List<ImageRecord> _records = [];

    private FolderListing(string root, FileId rootId, bool followSymlinks)
    {
        _root = root;
        _rootId = rootId;
        _followSymlinks = followSymlinks;
    }

    public static List<ImageRecord> List(string folder, bool followSymlinks)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var kind = PosixFiles.Stat(PosixFiles.Bytes(root), follow: true, out var rootId, out int errno);
        if (kind != PosixFiles.Kind.Directory)
            throw kind == PosixFiles.Kind.Missing ? PosixFiles.Error(errno, folder) : new DirectoryNotFoundException($"{folder}: not a folder");
        var listing = new FolderListing(root, rootId, followSymlinks);
        listing._listed[rootId] = ".";
        listing.Walk(PosixFiles.Bytes(root), "", [rootId], isRoot: true);
        return listing._records;
    }

    private void Walk(byte[] directory, string relative, List<FileId> ancestors, bool isRoot = false)
    {
        List<byte[]> names;
        try
        {
            names = PosixFiles.EntryNames(directory, isRoot ? _root : Path.Combine(_root, relative));
        }
        catch (Exception e) when (!isRoot && e is IOException or UnauthorizedAccessException)
        {
            Refuse(relative, $"cannot list folder: {e.GetType().Name}: {e.Message}");
            return;
        }
        // byte order, so that which of two names for one folder is kept (the first) is the same on every machine
        names.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        foreach (var name in names)
        {
            if (name[0] == (byte)'.')
                continue; // hidden, as before
            string shown = Encoding.UTF8.GetString(name);
            string rel = relative.Length == 0 ? shown : $"{relative}/{shown}";
            string text;
            try
            {
                text = StrictUtf8.GetString(name);
            }
            catch (DecoderFallbackException)
            {
                if (IsImageName(shown) || PosixFiles.Stat(PosixFiles.Join(directory, name), follow: false, out _, out _) == PosixFiles.Kind.Directory)
                    Refuse(rel, $"file name is not valid UTF-8 and cannot be opened by name (bytes: {Convert.ToHexStringLower(name)})");
                continue;
            }
            Entry(PosixFiles.Join(directory, name), rel, text, ancestors);
        }
    }

    private void Entry(byte[] path, string rel, string name, List<FileId> ancestors)
    {
        var kind = PosixFiles.Stat(path, follow: false, out var id, out _);
        if (kind == PosixFiles.Kind.Link)
        {
            var target = PosixFiles.Stat(path, follow: true, out id, out int errno);
            if (target == PosixFiles.Kind.Missing)
            {
                if (errno == Tmds.Linux.LibC.ELOOP)
                    Refuse(rel, $"symbolic link loop: {PosixFiles.Describe(errno)}");
                else if (IsImageName(name))
                    Add(rel); // a dangling link: the decoder reports the missing file
                return;
            }
            if (!_followSymlinks && !Inside(Path.Combine(_root, rel)))
            {
                if (target == PosixFiles.Kind.Directory || IsImageName(name))
                    Refuse(rel, "symbolic link to a target outside the input folder: not followed (following symbolic links is a setting)");
                return;
            }
            kind = target;
        }
        if (kind == PosixFiles.Kind.Directory)
        {
            int ancestor = ancestors.IndexOf(id);
            if (ancestor >= 0)
            {
                Refuse(rel, $"symbolic link loop: this folder is '{_listed[id]}' again (same device and inode); not listed twice");
                return;
            }
            if (!_listed.TryAdd(id, rel))
            {
                Refuse(rel, $"the same folder as '{_listed[id]}' (same device and inode); listed once");
                return;
            }
            Walk(path, rel, [.. ancestors, id]);
        }
        else if (kind == PosixFiles.Kind.File && IsImageName(name))
        {
            Add(rel);
        }
        else if (kind == PosixFiles.Kind.Other && IsImageName(name))
        {
            // a named pipe, socket or device with an image's name: reading it could block or never end; listed as refused
            Refuse(rel, "not a regular file (a named pipe, socket or device): not read");
        }
    }

    /// <summary>Whether a link's final target is the input folder or lies under it (compared by device and inode, not by name).</summary>
    private bool Inside(string link)
    {
        string? target;
        try
        {
            target = File.ResolveLinkTarget(link, returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            return false;
        }
        for (var p = target is null ? null : Path.GetFullPath(target); p != null; p = Path.GetDirectoryName(p))
            if (PosixFiles.Stat(PosixFiles.Bytes(p), follow: true, out var id, out _) == PosixFiles.Kind.Directory && id == _rootId)
                return true;
        return false;
    }

    private static bool IsImageName(string name) => ImageCollection.Extensions.Contains(Path.GetExtension(name).ToLowerInvariant());

    private void Add(string rel) => _records.Add(new ImageRecord(rel, Path.Combine(_root, rel), rel));

    private void Refuse(string rel, string reason) => _records.Add(new ImageRecord(rel, Path.Combine(_root, rel), rel, Refused: reason));
}
