using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Replication.Core.Cluster;

/// <summary>
/// Talks to a Slurm cluster through its own commands (<c>sinfo</c>, <c>submit.sh</c> from <see cref="SlurmScripts"/>, <c>scontrol</c>),
/// with the environment of this process (<c>SLURM_CONF</c> included): whether one is reachable, submitting a written pipeline, and
/// waiting for its jobs. Accounting (<c>sacct</c>) is not assumed; job states come from <c>scontrol show job</c>.
/// </summary>
public static partial class SlurmJobs
{
    /// <summary>Null when <c>sinfo</c> answers with a node that can take work; else why not, in one line.</summary>
    public static string? Unreachable()
    {
        var r = Run("sinfo", ["-h", "-o", "%T"], TimeSpan.FromSeconds(15));
        if (r is null) return "no Slurm commands here (sinfo not found on PATH)";
        if (r.Value.ExitCode != 0) return $"sinfo failed: {FirstLine(r.Value.Stderr)}";
        var states = r.Value.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return states.Any(s => s.StartsWith("idle", StringComparison.Ordinal) || s.StartsWith("mix", StringComparison.Ordinal) || s.StartsWith("alloc", StringComparison.Ordinal))
            ? null
            : $"no node can take work (sinfo: {string.Join(", ", states.DefaultIfEmpty("no nodes"))})";
    }

    /// <summary>Runs the folder's <c>submit.sh</c>; returns the jobs it submitted (name, id) in order.</summary>
    public static IReadOnlyList<(string Name, string Id)> Submit(string scriptsFolder)
    {
        string submit = Path.Combine(scriptsFolder, SlurmScripts.Submit);
        if (!File.Exists(submit)) throw new InputMissingException($"{submit} not found (cluster slurm writes it)", submit);
        var r = Run("bash", [submit], TimeSpan.FromMinutes(2)) ?? throw new EnvironmentException("bash not found");
        if (r.ExitCode != 0) throw new EnvironmentException($"{submit} failed (exit {r.ExitCode}): {FirstLine(r.Stderr)}");
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2)).Where(w => w.Length == 2).Select(w => (w[0], w[1])).ToList();
    }

    /// <summary>The job's state: PENDING, RUNNING, ... while any task still is; then COMPLETED when every task completed, else the
    /// first other state (FAILED, CANCELLED, ...). A job Slurm no longer knows is UNKNOWN.</summary>
    public static string State(string id)
    {
        var r = Run("scontrol", ["show", "job", id], TimeSpan.FromSeconds(30));
        if (r is null) return "UNKNOWN (scontrol not found)";
        var states = StateRegex().Matches(r.Value.Stdout).Select(m => m.Groups[1].Value).ToList();
        if (states.Count == 0) return $"UNKNOWN ({FirstLine(r.Value.Stdout + r.Value.Stderr)})"; // e.g. forgotten after MinJobAge: terminal
        // an array is finished only when no task is still waiting or running
        if (states.FirstOrDefault(s => s is "PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "REQUEUED" or "SUSPENDED") is { } busy) return busy;
        return states.FirstOrDefault(s => s != "COMPLETED") ?? "COMPLETED";
    }

    /// <summary>Waits until the job is no longer pending or running (or <paramref name="limit"/> passes); returns its state.</summary>
    public static string Wait(string id, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            string state = State(id);
            if (state is not ("PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "REQUEUED" or "SUSPENDED")) return state;
            if (watch.Elapsed > limit) return $"{state} after {limit.TotalSeconds:F0} s";
            Thread.Sleep(500);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";

    private static (int ExitCode, string Stdout, string Stderr)? Run(string program, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new System.ComponentModel.Win32Exception();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (124, stdout.Result, stderr.Result + $"\n{program} timed out after {timeout.TotalSeconds:F0} s");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    [GeneratedRegex(@"\bJobState=(\S+)")]
    private static partial Regex StateRegex();
}
