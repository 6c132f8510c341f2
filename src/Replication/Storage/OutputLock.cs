using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replication.Storage;

/// <summary>
/// One writer per output folder: <c>.lock</c> is created with O_EXCL (<see cref="FileMode.CreateNew"/>; <c>flock</c> is
/// unreliable on cluster file systems) and holds the host, the process id and the process start time. A lock whose process
/// is gone (same host; no such pid, or a pid reused by a later process) is stale and taken over; any other lock is refused
/// with a message naming its holder. Released (deleted) on dispose.
/// </summary>
public sealed class OutputLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private OutputLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
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
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                using var self = Process.GetCurrentProcess();
                var text = JsonSerializer.Serialize(new JsonObject
                {
                    ["host"] = Environment.MachineName, ["pid"] = Environment.ProcessId,
                    ["started"] = self.StartTime.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
                });
                stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
                return new OutputLock(path, stream);
            }
            catch (IOException) when (File.Exists(path) && attempt < 2)
            {
                var holder = Read(path);
                if (!IsStale(holder))
                    throw new OutputLockedException($"{(fileName == FileName ? folder : path)}: another run is writing this output ({Describe(holder)}); wait for it to finish, " +
                                          $"or delete {path} if that run is gone");
                File.Delete(path); // its process is gone: take over
            }
        }
    }

    private static (string? Host, int? Pid, DateTime? Started) Read(string path)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
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
        _stream.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }
}
