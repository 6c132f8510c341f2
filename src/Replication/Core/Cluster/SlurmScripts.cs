using System.Globalization;
using System.Text;

namespace Replication.Core.Cluster;

/// <summary>The resources every array task and the merge ask Slurm for; null: Slurm's default (or the site's).</summary>
public sealed record SlurmResources(string? Partition = null, string? Time = null, int? CpusPerTask = null, string? Mem = null);

/// <summary>
/// A pipeline on Slurm: <paramref name="Replication"/> is the command that starts the tool (<c>dotnet /abs/Replication.Cli.dll</c>,
/// one word per item), <paramref name="EmbedArgs"/> the arguments of <c>embed --shards</c> without <c>--shard</c> (null: no
/// embedding job), <paramref name="SearchArgs"/> those of <c>search-store</c> without <c>--part</c>/<c>--merge</c> (null: no search
/// and merge jobs). Each array has <paramref name="Tasks"/> tasks; task i runs part i/Tasks. Paths in the arguments should be
/// absolute: jobs start in the submitting folder but logs and scripts live elsewhere.
/// </summary>
public sealed record SlurmPipeline(IReadOnlyList<string> Replication, int Tasks, SlurmResources Resources, string LogsFolder,
    IReadOnlyList<string>? EmbedArgs, IReadOnlyList<string>? SearchArgs, string JobName = "replication");

/// <summary>
/// Writes a pipeline as Slurm batch scripts: <c>embed.sbatch</c> (a job array, task i embedding <c>--shard i/N</c> into the store),
/// <c>search.sbatch</c> (a job array, task i computing <c>search-store --part i/N</c>), <c>merge.sbatch</c> (one task,
/// <c>search-store --merge</c>) and <c>submit.sh</c>, which submits them chained with <c>--dependency=afterok</c> and prints
/// <c>embed ID</c>, <c>search ID</c>, <c>merge ID</c>. Every word is quoted for bash; every script runs <c>set -euo pipefail</c>;
/// each task logs to its own file (<c>NAME-JOB_TASK.out</c>) in the logs folder. The commands are the tool's own: without Slurm the
/// same commands, run by hand for each i, do the same work. A rerun after a lost node or task submits again; shards and parts
/// done earlier are kept, so only the rest is computed.
/// </summary>
public static class SlurmScripts
{
    public const string Embed = "embed.sbatch";
    public const string Search = "search.sbatch";
    public const string MergeScript = "merge.sbatch";
    public const string Submit = "submit.sh";

    /// <summary>One word for bash: as is when it holds only safe characters, else in single quotes (<c>'</c> written <c>'\''</c>).</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c)))
            return word;
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A command line as bash words (each <see cref="Quote"/>d), separated by spaces.</summary>
    public static string QuoteAll(IEnumerable<string> words) => string.Join(" ", words.Select(Quote));

    /// <summary>
    /// Splits a command given as one string (<c>dotnet "/opt/my tools/Replication.Cli.dll"</c>) into words as a POSIX shell does
    /// for quotes and backslashes (no expansions): whitespace separates; '…' is literal; "…" keeps everything but \" \\ \$ \`.
    /// </summary>
    public static IReadOnlyList<string> SplitWords(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                int end = command.IndexOf('\'', i + 1);
                if (end < 0) throw new ParameterException("Replication", command, "unterminated '");
                current.Append(command, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                int j = i + 1;
                for (; j < command.Length && command[j] != '"'; j++)
                {
                    if (command[j] == '\\' && j + 1 < command.Length && "\"\\$`".Contains(command[j + 1])) j++;
                    current.Append(command[j]);
                }
                if (j >= command.Length) throw new ParameterException("Replication", command, "unterminated \"");
                i = j;
            }
            else if (c == '\\')
            {
                if (i + 1 >= command.Length) throw new ParameterException("Replication", command, "a trailing \\");
                current.Append(command[++i]);
            }
            else
            {
                current.Append(c);
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>The scripts' names and texts, in the order they run (submit.sh last).</summary>
    public static IReadOnlyList<(string Name, string Text)> Scripts(SlurmPipeline pipeline)
    {
        Check(pipeline);
        var scripts = new List<(string, string)>();
        if (pipeline.EmbedArgs is { } embed)
            scripts.Add((Embed, ArrayScript(pipeline, "embed", [.. embed, "--shard"],
                $"task i of {pipeline.Tasks} embeds the shards whose place in the list is i modulo {pipeline.Tasks}; the store is complete once every task has run")));
        if (pipeline.SearchArgs is { } search)
        {
            scripts.Add((Search, ArrayScript(pipeline, "search", [.. search, "--part"],
                $"task i of {pipeline.Tasks} searches the gallery shards whose index is i modulo {pipeline.Tasks}, one part each under its own lock")));
            scripts.Add((MergeScript, MergeText(pipeline, search)));
        }
        scripts.Add((Submit, SubmitText(pipeline)));
        return scripts;
    }

    /// <summary>Writes the scripts into <paramref name="folder"/> (executable); returns their paths.</summary>
    public static IReadOnlyList<string> Write(SlurmPipeline pipeline, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var scripts = Scripts(pipeline);
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var (name, text) in scripts)
        {
            string path = Path.Combine(folder, name);
            Replication.Core.Files.AtomicFile.WriteAllText(path, text);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                           UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            paths.Add(path);
        }
        return paths;
    }

    private static void Check(SlurmPipeline p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Replication.Count == 0) throw new ParameterException("Replication", "no command given");
        if (p.Tasks < 1) throw new ParameterException("Tasks", p.Tasks, "must be ≥ 1");
        if (p.EmbedArgs is null && p.SearchArgs is null) throw new ParameterException("Store", "nothing to run: give the embedding's options, the search's, or both");
        // #SBATCH lines are read by sbatch, not bash: their values cannot be quoted, so they must be plain
        foreach (var (value, option) in new[] { (p.Resources.Partition, "Partition"), (p.Resources.Time, "Time"), (p.Resources.Mem, "Mem"), (p.JobName, "JobName") })
            if (value is not null && (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || "_.:,+-".Contains(c))))
                throw new ParameterException(option, value, "only letters, digits and _ . : , + - (it goes into an #SBATCH line)");
        if (p.Resources.CpusPerTask is < 1) throw new ParameterException("CpusPerTask", p.Resources.CpusPerTask, "must be ≥ 1");
    }

    private static string Header(SlurmPipeline p, string name, string? array)
    {
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append($"#SBATCH --job-name={p.JobName}-{name}\n");
        if (array is not null) sb.Append($"#SBATCH --array={array}\n");
        sb.Append("#SBATCH --ntasks=1\n");
        if (p.Resources.Partition is { } partition) sb.Append($"#SBATCH --partition={partition}\n");
        if (p.Resources.Time is { } time) sb.Append($"#SBATCH --time={time}\n");
        if (p.Resources.CpusPerTask is { } cpus) sb.Append($"#SBATCH --cpus-per-task={cpus.ToString(CultureInfo.InvariantCulture)}\n");
        if (p.Resources.Mem is { } mem) sb.Append($"#SBATCH --mem={mem}\n");
        sb.Append($"# Written by 'replication cluster slurm'. Logs: submit.sh passes --output (a file per task in {p.LogsFolder}).\n");
        return sb.ToString();
    }

    private static string ArrayScript(SlurmPipeline p, string name, IReadOnlyList<string> args, string what)
    {
        var sb = new StringBuilder(Header(p, name, $"0-{(p.Tasks - 1).ToString(CultureInfo.InvariantCulture)}"));
        sb.Append($"# {what}.\n");
        sb.Append($"# Without Slurm: run it with SLURM_ARRAY_TASK_ID=i for each i in 0..{p.Tasks - 1} (the command below, by hand).\n");
        sb.Append("set -euo pipefail\n");
        sb.Append("task=\"${SLURM_ARRAY_TASK_ID:?run this script through sbatch (a job array), or set SLURM_ARRAY_TASK_ID}\"\n");
        sb.Append($"echo \"{name} task $task/{p.Tasks} on $(hostname) at $(date -u +%FT%TZ)\"\n");
        sb.Append(QuoteAll([.. p.Replication, .. args])).Append($" \"$task/{p.Tasks}\"\n");
        return sb.ToString();
    }

    private static string MergeText(SlurmPipeline p, IReadOnlyList<string> search)
    {
        var sb = new StringBuilder(Header(p, "merge", null));
        sb.Append("# merges the parts every search task computed into matches.csv, counts.csv, search.json; names the parts missing if any.\n");
        sb.Append("set -euo pipefail\n");
        sb.Append("echo \"merge on $(hostname) at $(date -u +%FT%TZ)\"\n");
        sb.Append(QuoteAll([.. p.Replication, .. search, "--merge"])).Append('\n');
        return sb.ToString();
    }

    private static string SubmitText(SlurmPipeline p)
    {
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append("# Written by 'replication cluster slurm': submits the jobs of this folder, each after the one before has succeeded\n");
        sb.Append("# (--dependency=afterok: every task of an array), and prints 'NAME JOBID' per job. Run it again after a failure\n");
        sb.Append("# or a lost node: shards and parts done earlier are kept.\n");
        sb.Append("set -euo pipefail\n");
        sb.Append("here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n");
        sb.Append($"logs={Quote(p.LogsFolder)}\n");
        sb.Append("mkdir -p \"$logs\"\n");
        sb.Append("dependency=()\n");
        sb.Append("submit() { # NAME SCRIPT LOGNAME: submits after the job before (if any); prints the job id\n");
        sb.Append("  local id\n");
        sb.Append("  id=\"$(sbatch --parsable ${dependency[@]+\"${dependency[@]}\"} --output=\"$logs/$3\" --error=\"$logs/$3\" \"$here/$2\")\"\n");
        sb.Append("  id=\"${id%%;*}\" # --parsable prints ID or ID;CLUSTER\n");
        sb.Append("  echo \"$1 $id\"\n");
        sb.Append("  dependency=(\"--dependency=afterok:$id\")\n");
        sb.Append("}\n");
        if (p.EmbedArgs is not null) sb.Append($"submit embed {Embed} embed-%A_%a.out\n");
        if (p.SearchArgs is not null)
        {
            sb.Append($"submit search {Search} search-%A_%a.out\n");
            sb.Append($"submit merge {MergeScript} merge-%j.out\n");
        }
        return sb.ToString();
    }
}
