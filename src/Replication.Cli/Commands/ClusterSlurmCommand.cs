using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using Replication.Core.Cluster;

namespace Replication.Cli.Commands;

/// <summary>
/// <c>cluster slurm</c>: writes <c>embed.sbatch</c> (array: <c>embed --shards … --shard $SLURM_ARRAY_TASK_ID/N</c>),
/// <c>search.sbatch</c> (array: <c>search-store … --part $SLURM_ARRAY_TASK_ID/N</c>), <c>merge.sbatch</c> (<c>search-store … --merge</c>)
/// and <c>submit.sh</c> (chained with <c>--dependency=afterok</c>); <c>--submit</c> runs submit.sh. The options of embed and search-store
/// are passed through (checked by their own parsers now, so that a mistake is not found on the cluster).
/// </summary>
public sealed class ClusterSlurmCommand : Command
{
    private readonly Option<string> _outScripts = OptionKinds.Text("--out-scripts", "folder for embed.sbatch, search.sbatch, merge.sbatch and submit.sh", required: true);
    private readonly Option<int> _tasks = OptionKinds.Int("--tasks", "tasks per job array: task i embeds --shard i/N and searches --part i/N", 4, max: 100_000);
    private readonly Option<string> _partition = OptionKinds.Text("--partition", "Slurm partition (#SBATCH --partition); the cluster's default when not given");
    private readonly Option<string> _time = OptionKinds.Text("--time", "time limit per task (#SBATCH --time, e.g. 02:00:00)");
    private readonly Option<int> _cpus = OptionKinds.Int("--cpus-per-task", "CPUs per task (#SBATCH --cpus-per-task); the cluster's default when not given", 0, min: 0);
    private readonly Option<string> _mem = OptionKinds.Text("--mem", "memory per task (#SBATCH --mem, e.g. 8G)");
    private readonly Option<string> _jobName = OptionKinds.Text("--job-name", "job names: NAME-embed, NAME-search, NAME-merge", "replication");
    private readonly Option<string> _replication = OptionKinds.Text("--replication", "the command that starts this tool on the nodes, e.g. \"dotnet /abs/path/Replication.Cli.dll\" (default: how this process was started)");
    private readonly Option<string> _logs = OptionKinds.Text("--logs", "folder for one log per task (default: OUT-SCRIPTS/logs)");
    private readonly Option<bool> _submit = OptionKinds.Flag("--submit", "run submit.sh now (sbatch must be on PATH) and print the job ids");

    // embed --shards (the embedding job runs when --shards is given)
    private readonly Option<string> _shards = OptionKinds.Text("--shards", "embedding job: webdataset shards (a folder of .tar or a list), as embed --shards");
    private readonly Option<string> _store = OptionKinds.Text("--store", "the embedding store: embed's --out and search-store's --store", required: true);
    private readonly Option<string> _model = OptionKinds.Text("--model", "embedding job: as embed --model");
    private readonly Option<string> _batch = OptionKinds.Text("--batch", "embedding job: as embed --batch");
    private readonly Option<string> _alpha = OptionKinds.Text("--alpha", "embedding job: as embed --alpha");
    private readonly Option<string> _background = OptionKinds.Text("--background", "embedding job: as embed --background");
    private readonly Option<bool> _acceptTruncated = OptionKinds.Flag("--accept-truncated", "embedding job: as embed --accept-truncated");
    private readonly Option<string> _device = OptionKinds.Text("--device", "both jobs: as embed/search-store --device");

    // search-store (the search and merge jobs run when --queries is given)
    private readonly Option<string> _queries = OptionKinds.Text("--queries", "search jobs: query embeddings .npy, as search-store --queries");
    private readonly Option<string> _out = OptionKinds.Text("--out", "search jobs: output folder, as search-store --out");
    private readonly Option<string> _k = OptionKinds.Text("--k", "search jobs: as search-store --k");
    private readonly Option<string> _metric = OptionKinds.Text("--metric", "search jobs: as search-store --metric");
    private readonly Option<string> _chunks = OptionKinds.Text("--chunks", "search jobs: as search-store --chunks");
    private readonly Option<string> _countAbove = OptionKinds.Text("--count-above", "search jobs: as search-store --count-above");
    private readonly Option<string> _countCap = OptionKinds.Text("--count-cap", "search jobs: as search-store --count-cap");
    private readonly Option<string> _exclude = OptionKinds.Text("--exclude", "search jobs: as search-store --exclude");
    private readonly Option<string> _searchMemory = OptionKinds.Text("--search-memory", "search jobs: as search-store --search-memory");

    public ClusterSlurmCommand() : base("slurm", "write Slurm job-array scripts for the sharded embedding (embed --shard i/N), the sharded search (search-store --part i/N) and its merge, chained with afterok; --submit submits them")
    {
        foreach (var o in new Option[] { _outScripts, _tasks, _partition, _time, _cpus, _mem, _jobName, _replication, _logs, _submit, _shards, _store, _model, _batch,
                     _alpha, _background, _acceptTruncated, _device, _queries, _out, _k, _metric, _chunks, _countAbove, _countCap, _exclude, _searchMemory })
            Options.Add(o);
        SetAction(Run);
    }

    private static bool Given(ParseResult p, Option o) => p.GetResult(o) is { Implicit: false };

    private int Run(ParseResult p)
    {
        bool embed = Given(p, _shards), search = Given(p, _queries);
        if (!embed && !search)
            throw new UsageException("nothing to run: give --shards (the embedding job), --queries and --out (the search jobs), or both", "--shards");
        if (!embed)
            foreach (var (o, name) in new (Option, string)[] { (_model, "--model"), (_batch, "--batch"), (_alpha, "--alpha"), (_background, "--background"), (_acceptTruncated, "--accept-truncated") })
                if (Given(p, o)) throw new UsageException($"{name} is an option of the embedding job, which runs only with --shards", name);
        if (!search)
            foreach (var (o, name) in new (Option, string)[] { (_out, "--out"), (_k, "--k"), (_metric, "--metric"), (_chunks, "--chunks"), (_countAbove, "--count-above"),
                         (_countCap, "--count-cap"), (_exclude, "--exclude"), (_searchMemory, "--search-memory") })
                if (Given(p, o)) throw new UsageException($"{name} is an option of the search jobs, which run only with --queries", name);
        if (search && !Given(p, _out)) throw new UsageException("the search jobs need --out (search-store's output folder)", "--out");

        string store = Path.GetFullPath(p.GetValue(_store)!);
        int tasks = p.GetValue(_tasks);
        List<string>? embedArgs = null, searchArgs = null;
        if (embed)
        {
            embedArgs = ["embed", "--shards", Path.GetFullPath(p.GetValue(_shards)!), "--out", store];
            if (p.GetValue(_model) is { } model) embedArgs.AddRange(["--model", File.Exists(model) ? Path.GetFullPath(model) : model]);
            Pass(p, embedArgs, (_batch, "--batch"), (_device, "--device"), (_alpha, "--alpha"), (_background, "--background"));
            if (p.GetValue(_acceptTruncated)) embedArgs.Add("--accept-truncated");
            CheckArguments([.. embedArgs, "--shard", $"0/{tasks}"]);
        }
        if (search)
        {
            searchArgs = ["search-store", "--queries", Path.GetFullPath(p.GetValue(_queries)!), "--store", store, "--out", Path.GetFullPath(p.GetValue(_out)!)];
            Pass(p, searchArgs, (_k, "--k"), (_metric, "--metric"), (_chunks, "--chunks"), (_countAbove, "--count-above"), (_countCap, "--count-cap"),
                (_searchMemory, "--search-memory"), (_device, "--device"));
            if (p.GetValue(_exclude) is { } exclude) searchArgs.AddRange(["--exclude", Path.GetFullPath(exclude)]);
            CheckArguments([.. searchArgs, "--part", $"0/{tasks}"]);
        }

        string folder = Path.GetFullPath(p.GetValue(_outScripts)!);
        string logs = Path.GetFullPath(p.GetValue(_logs) ?? Path.Combine(folder, "logs"));
        var replication = p.GetValue(_replication) is { } given ? SlurmScripts.SplitWords(given) : CurrentCommand();
        if (replication.Count == 0) throw new UsageException("--replication: no command given", "--replication");
        int cpus = p.GetValue(_cpus);
        var pipeline = new SlurmPipeline(replication, tasks, new SlurmResources(p.GetValue(_partition), p.GetValue(_time), cpus > 0 ? cpus : null, p.GetValue(_mem)),
            logs, embedArgs, searchArgs, p.GetValue(_jobName)!);
        var paths = SlurmScripts.Write(pipeline, folder);
        Directory.CreateDirectory(logs);
        foreach (var path in paths) Console.WriteLine($"wrote {path}");
        string submit = Path.Combine(folder, SlurmScripts.Submit);
        if (!p.GetValue(_submit))
        {
            Console.WriteLine($"submit with: bash {SlurmScripts.Quote(submit)}  (logs in {logs})");
            return ExitCodes.Success;
        }
        if (!OnPath("sbatch"))
            throw new EnvironmentException($"--submit: sbatch is not on PATH; the scripts are written, submit them where Slurm is: bash {SlurmScripts.Quote(submit)}");
        Console.Out.Flush();
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false };
        psi.ArgumentList.Add(submit);
        using var process = Process.Start(psi) ?? throw new EnvironmentException("--submit: bash could not be started");
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new EnvironmentException($"--submit: {submit} failed (exit {process.ExitCode}; sbatch's message is above); the scripts are written, fix and run it again");
        return ExitCodes.Success;
    }

    private static void Pass(ParseResult p, List<string> args, params (Option<string> Option, string Name)[] options)
    {
        foreach (var (option, name) in options)
            if (p.GetValue(option) is { } value) args.AddRange([name, value]);
    }

    /// <summary>The job's command line, parsed as the tool will parse it on the nodes: its mistakes are refused here.</summary>
    private static void CheckArguments(string[] args)
    {
        var result = CommandLineApp.Build().Parse(args);
        if (result.Errors.Count > 0)
            throw new UsageException($"the {args[0]} jobs would fail: {result.Errors[0].Message.Split('\n')[0].Trim().TrimEnd('.')}", args[0]);
    }

    /// <summary>How this process was started: <c>dotnet /abs/Replication.Cli.dll</c>, or the apphost alone.</summary>
    private static IReadOnlyList<string> CurrentCommand()
    {
        string host = Environment.ProcessPath ?? throw new EnvironmentException("cannot tell how this process was started: give --replication");
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return [host];
        string dll = Assembly.GetEntryAssembly()?.Location is { Length: > 0 } location ? location : typeof(ClusterSlurmCommand).Assembly.Location;
        return [host, dll];
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, program)));
}
