using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Replication.Tests.Core.Cluster;

/// <summary>
/// A one-node Slurm cluster for the tests: munge (started as user munge when it is not already running), then slurmctld and
/// slurmd with a scratch <c>slurm.conf</c> (state, spool, pids and logs in a scratch folder; free ports, so that it never meets
/// another Slurm), until the node is idle. Needs root and Debian's <c>slurm-wlm</c> and <c>munge</c> (<c>.ci/run</c> installs them);
/// <see cref="Problem"/> says what is missing or why it did not start. Disposed: <c>scontrol shutdown</c>, the daemons it started
/// stopped by their pids, the scratch folder deleted.
/// </summary>
public sealed partial class SlurmCluster : IDisposable
{
    private const string Install = "apt-get install slurm-wlm munge; .ci/run does";
    private static readonly string[] Tools = ["/usr/sbin/munged", "/usr/bin/munge", "/usr/bin/unmunge", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
        "/usr/bin/sbatch", "/usr/bin/scontrol", "/usr/bin/sinfo", "/usr/sbin/runuser"];

    private readonly List<int> _daemons = [];
    private int? _munged;

    public SlurmCluster()
    {
        Folder = Path.Combine(Path.GetTempPath(), "replication-slurm", Guid.NewGuid().ToString("N"));
        Conf = Path.Combine(Folder, "slurm.conf");
        Environment = new Dictionary<string, string> { ["SLURM_CONF"] = Conf };
        var watch = Stopwatch.StartNew();
        try
        {
            Problem = Start();
        }
        catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Problem = $"the one-node Slurm cluster did not start: {e.Message}";
        }
        StartTime = watch.Elapsed;
        if (Problem is not null) Stop();
    }

    /// <summary>Why the cluster is not there (a tool missing, not root, a daemon that did not start), or null when it runs.</summary>
    public string? Problem { get; }

    public string Folder { get; }
    public string Conf { get; }
    public TimeSpan StartTime { get; }

    /// <summary>What a process needs to talk to this cluster (<c>SLURM_CONF</c>); jobs inherit it from sbatch.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Fails under CI (<c>CI=true</c>), where the cluster must start; otherwise skips with <see cref="Problem"/>.</summary>
    public void SkipOrFailWhenAbsent()
    {
        if (Problem is null) return;
        if (System.Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"CI=true and {Problem}");
        Skip.If(true, Problem);
    }

    internal ProcessRunner.Result Run(string tool, params string[] args) => ProcessRunner.Run(tool, args, Folder, TimeSpan.FromSeconds(30), Environment);

    /// <summary>The state of a job (of every task of an array: the first that is not COMPLETED, else COMPLETED) as scontrol shows it.</summary>
    public string JobState(string id)
    {
        var r = Run("/usr/bin/scontrol", "show", "job", id);
        var states = StateRegex().Matches(r.Stdout).Select(m => m.Groups[1].Value).ToList();
        if (states.Count == 0) return $"UNKNOWN ({r.Stdout.Trim()} {r.Stderr.Trim()})";
        if (states.FirstOrDefault(s => s != "COMPLETED") is { } other)
            return other == "PENDING" && r.Stdout.Contains("DependencyNeverSatisfied", StringComparison.Ordinal) ? "PENDING DependencyNeverSatisfied" : other;
        return "COMPLETED";
    }

    /// <summary>Waits until the job (every task of an array) has ended; returns its final state.</summary>
    public string Wait(string id, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            string state = JobState(id);
            if (state is not ("PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "REQUEUED" or "SUSPENDED")) return state;
            if (watch.Elapsed > limit) return $"{state} after {limit.TotalSeconds:F0} s";
            Thread.Sleep(300);
        }
    }

    /// <summary>The last lines of the daemons' logs, for a failure message.</summary>
    public string Logs()
    {
        string Tail(string name)
        {
            string path = Path.Combine(Folder, name);
            return File.Exists(path) ? string.Join("\n", File.ReadAllLines(path).TakeLast(15)) : "(none)";
        }
        return $"slurmctld.log:\n{Tail("slurmctld.log")}\nslurmd.log:\n{Tail("slurmd.log")}";
    }

    [GeneratedRegex(@"\bJobState=(\S+)")]
    private static partial Regex StateRegex();

    private string? Start()
    {
        if (!OperatingSystem.IsLinux()) return "a one-node Slurm cluster needs Linux";
        foreach (var tool in Tools)
            if (!File.Exists(tool)) return $"{tool} is missing ({Install})";
        if (System.Environment.UserName != "root") return $"starting slurmctld, slurmd and munged needs root (running as {System.Environment.UserName})";

        if (!MungeWorks())
        {
            Directory.CreateDirectory("/run/munge");
            var chown = ProcessRunner.Run("chown", ["munge:munge", "/run/munge"]);
            if (chown.ExitCode != 0) return $"chown munge:munge /run/munge failed: {chown.Stderr.Trim()}";
            Daemon("/usr/sbin/runuser", "-u", "munge", "--", "/usr/sbin/munged");
            _munged = ReadPid("/run/munge/munged.pid");
            if (!MungeWorks()) return "munged did not start (runuser -u munge -- /usr/sbin/munged); is /etc/munge/munge.key there?";
        }

        Directory.CreateDirectory(Folder);
        foreach (var sub in new[] { "state", "spool" }) Directory.CreateDirectory(Path.Combine(Folder, sub));
        string host = ProcessRunner.Run("hostname", ["-s"]).Stdout.Trim();
        int cpus = System.Environment.ProcessorCount;
        long memory = TotalMemoryMiB() * 9 / 10;
        var (ctldPort, slurmdPort) = (FreePort(), FreePort());
        File.WriteAllText(Conf, $"""
            ClusterName=replicationtests
            SlurmctldHost={host}
            SlurmctldPort={ctldPort}
            SlurmdPort={slurmdPort}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            StateSaveLocation={Folder}/state
            SlurmdSpoolDir={Folder}/spool
            SlurmctldPidFile={Folder}/slurmctld.pid
            SlurmdPidFile={Folder}/slurmd.pid
            SlurmctldLogFile={Folder}/slurmctld.log
            SlurmdLogFile={Folder}/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            MpiDefault=none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            ReturnToService=2
            MinJobAge=600
            SchedulerParameters=sched_interval=1
            NodeName={host} CPUs={cpus} RealMemory={memory} State=UNKNOWN
            PartitionName=tests Nodes={host} Default=YES MaxTime=INFINITE State=UP

            """);
        Daemon("/usr/sbin/slurmctld", "-f", Conf);
        if (ReadPid(Path.Combine(Folder, "slurmctld.pid")) is { } ctld) _daemons.Add(ctld);
        else return $"slurmctld did not start\n{Logs()}";
        Daemon("/usr/sbin/slurmd", "-f", Conf);
        if (ReadPid(Path.Combine(Folder, "slurmd.pid")) is { } slurmd) _daemons.Add(slurmd);
        else return $"slurmd did not start\n{Logs()}";

        var watch = Stopwatch.StartNew();
        string state = "";
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            state = Run("/usr/bin/sinfo", "-h", "-o", "%T").Stdout.Trim();
            if (state == "idle") return null;
            Thread.Sleep(200);
        }
        return $"the node did not become idle in 30 s (sinfo: '{state}')\n{Logs()}";
    }

    private static bool MungeWorks() => ProcessRunner.Run("bash", ["-c", "/usr/bin/munge -n | /usr/bin/unmunge"], timeout: TimeSpan.FromSeconds(10)).ExitCode == 0;

    /// <summary>Starts a daemon through bash with its output to a file (it forks and keeps no pipe of ours open).</summary>
    private void Daemon(string program, params string[] args)
    {
        Directory.CreateDirectory(Folder);
        string log = Path.Combine(Folder, "daemons.out");
        string command = string.Join(" ", new[] { program }.Concat(args).Select(Replication.Core.Cluster.SlurmScripts.Quote));
        var r = ProcessRunner.Run("bash", ["-c", $"exec </dev/null >>{Replication.Core.Cluster.SlurmScripts.Quote(log)} 2>&1; {command}"], Folder, TimeSpan.FromSeconds(30), Environment);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{program} exited with {r.ExitCode}: {(File.Exists(log) ? File.ReadAllText(log).Trim() : "")}");
    }

    /// <summary>The pid in a daemon's pid file, waiting up to 10 s for it to be written.</summary>
    private static int? ReadPid(string path)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && Alive(pid))
                return pid;
            Thread.Sleep(100);
        }
        return null;
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static long TotalMemoryMiB()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return 1024;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Stop()
    {
        if (_daemons.Count > 0)
        {
            try { Run("/usr/bin/scontrol", "shutdown"); } catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception) { }
        }
        var watch = Stopwatch.StartNew();
        foreach (int pid in _daemons.Concat(_munged is { } m ? [m] : Array.Empty<int>()))
        {
            if (pid == _munged) Kill(pid); // munged only when this fixture started it
            while (Alive(pid) && watch.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(100);
            if (Alive(pid)) Kill(pid);
        }
        _daemons.Clear();
        _munged = null;
        try { if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
    }

    public void Dispose() => Stop();
}
