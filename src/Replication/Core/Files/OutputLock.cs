using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replication.Core.Files;

/// <summary>
/// One writer per output folder: <c>.lock</c> holds the host, the process id and the process start time, and appears with
/// that content at once: it is written to a temporary file first and moved into place without overwriting (on Unix a hard
/// link, which fails if a lock exists; <c>flock</c> is unreliable on cluster file systems), so no reader ever sees an empty
/// lock, whenever the writer is killed. A lock whose process is gone (same host; no such pid, or a pid reused by a later
/// process) is stale and taken over, and so is an unreadable lock older than <see cref="UnreadableGrace"/> (no writer of
/// this version leaves one); any other lock is refused with a message naming its holder. Released (deleted, if it is still
/// this process's) on dispose.
/// </summary>
public sealed class OutputLock : IDisposable
{
    public const string FileName = ".lock";

    /// <summary>How old an unreadable lock must be before it counts as stale (older versions wrote the content after
    /// creating the file; a kill in between left an empty lock).</summary>
    public static readonly TimeSpan UnreadableGrace = TimeSpan.FromSeconds(10);

    private readonly string _content;

    private OutputLock(string path, string content)
    {
        Path = path;
        _content = content;
    }

    public string Path { get; }

    public static OutputLock Acquire(string folder) => Acquire(folder, FileName);

    /// <summary>
    /// A lock on one item of a folder (<paramref name="fileName"/>, e.g. <c>.00003.lock</c> for one part) rather than on the whole
    /// folder: processes writing different items of one folder work side by side.
    /// </summary>
    public static OutputLock Acquire(string folder, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        Directory.CreateDirectory(folder);
        string path = System.IO.Path.Combine(folder, fileName);
        string text;
        using (var self = Process.GetCurrentProcess())
        {
            text = JsonSerializer.Serialize(new JsonObject
            {
                ["host"] = Environment.MachineName, ["pid"] = Environment.ProcessId,
                ["started"] = self.StartTime.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
            });
        }
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    File.Move(temporary, path, overwrite: false);
                    return new OutputLock(path, text);
                }
                catch (IOException) when (File.Exists(path) && attempt < 3)
                {
                    string? seen = ReadText(path);
                    var holder = Parse(seen);
                    bool stale = holder.Host is null ? IsOld(path) : IsStale(holder);
                    if (!stale)
                        throw new OutputLockedException($"{(fileName == FileName ? folder : path)}: another run is writing this output ({Describe(holder)}); wait for it to finish, " +
                                              $"or delete {path} if that run is gone");
                    if (ReadText(path) == seen)
                        File.Delete(path); // its process is gone: take over (unless another process took it over meanwhile)
                }
            }
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string? ReadText(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
    }

    private static bool IsOld(string path)
    {
        try { return DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > UnreadableGrace; }
        catch (IOException) { return false; }
    }

    private static (string? Host, int? Pid, DateTime? Started) Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return (null, null, null);
        try
        {
            var node = JsonNode.Parse(text) as JsonObject;
            return ((string?)node?["host"], (int?)node?["pid"],
                DateTime.TryParse((string?)node?["started"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException)
        {
            return (null, null, null);
        }
    }

    private static bool IsStale((string? Host, int? Pid, DateTime? Started) holder)
    {
        if (holder.Host != Environment.MachineName || holder.Pid is not int pid)
            return false; // another machine's run (or an unreadable lock): only a person can tell whether it is gone
        try
        {
            using var p = Process.GetProcessById(pid);
            return holder.Started is { } started && Math.Abs((p.StartTime.ToUniversalTime() - started.ToUniversalTime()).TotalSeconds) > 1;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true; // it exited meanwhile
        }
    }

    private static string Describe((string? Host, int? Pid, DateTime? Started) holder) =>
        holder.Host is null ? "lock file unreadable" : $"host {holder.Host}, pid {holder.Pid}, started {holder.Started:u}";

    public void Dispose()
    {
        try
        {
            if (ReadText(Path) == _content) File.Delete(Path);
        }
        catch (IOException) { }
    }
}
