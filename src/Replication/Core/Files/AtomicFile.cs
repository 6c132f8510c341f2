namespace Replication.Core.Files;

/// <summary>
/// Writes a file under a temporary name next to its destination and renames it into place only when
/// the write completed, so that an interrupted run never leaves a half-written file looking complete.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private bool _committed;

    private AtomicFile(string path)
    {
        FinalPath = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(FinalPath)!;
        Directory.CreateDirectory(dir);
        TempPath = Path.Combine(dir, $".{Path.GetFileName(FinalPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        Stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    public string FinalPath { get; }
    public string TempPath { get; }
    public FileStream Stream { get; }

    public static AtomicFile Create(string path) => new(path);

    /// <summary>Flushes and renames the temporary file over the destination.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(TempPath, FinalPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
            return;
        Stream.Dispose();
        try { File.Delete(TempPath); } catch (IOException) { }
    }

    /// <summary>Writes a whole text file atomically.</summary>
    public static void WriteAllText(string path, string contents)
    {
        using var file = Create(path);
        using (var writer = new StreamWriter(file.Stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true))
            writer.Write(contents);
        file.Commit();
    }

    /// <summary>Writes a whole file atomically through a writer callback.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        using var file = Create(path);
        write(file.Stream);
        file.Commit();
    }
}
