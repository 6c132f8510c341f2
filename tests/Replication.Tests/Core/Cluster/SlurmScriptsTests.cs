using Replication.Core.Cluster;

namespace Replication.Tests.Core.Cluster;

/// <summary>The Slurm scripts' text (array ranges, the afterok chain, quoting), run by bash with a stand-in for sbatch and the tool.</summary>
public class SlurmScriptsTests
{
    private static readonly string[] Hostile = ["plain", "with space", "it's", "\"double\"", "$HOME", "`id`", "back\\slash", "new\nline", "*", "~", "", "-n", "a;b|c&d", "{x,y}", "é ü"];

    private static SlurmPipeline Pipeline(IReadOnlyList<string> replication, int tasks = 4, string logs = "/tmp/logs") =>
        new(replication, tasks, new SlurmResources("gpu", "01:00:00", 2, "4G"), logs,
            ["embed", "--shards", "/data/my shards", "--out", "/data/st'ore"], ["search-store", "--queries", "/q.npy", "--store", "/data/st'ore", "--out", "/o ut"]);

    private static Dictionary<string, string> Texts(SlurmPipeline p) => SlurmScripts.Scripts(p).ToDictionary(s => s.Name, s => s.Text);

    [Fact]
    public void ArraysCoverTheTasksAndTheMergeIsOneTask()
    {
        var texts = Texts(Pipeline(["dotnet", "/opt/Replication.Cli.dll"], tasks: 4));
        Assert.Equal([SlurmScripts.Embed, SlurmScripts.Search, SlurmScripts.MergeScript, SlurmScripts.Submit], texts.Keys);
        foreach (var name in new[] { SlurmScripts.Embed, SlurmScripts.Search })
        {
            Assert.Contains("#SBATCH --array=0-3\n", texts[name]);
            Assert.Contains("set -euo pipefail\n", texts[name]);
            Assert.Contains("#SBATCH --partition=gpu\n#SBATCH --time=01:00:00\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=4G\n", texts[name]);
        }
        Assert.Contains("dotnet /opt/Replication.Cli.dll embed --shards '/data/my shards' --out '/data/st'\\''ore' --shard \"$task/4\"\n", texts[SlurmScripts.Embed]);
        Assert.Contains(" search-store --queries /q.npy --store '/data/st'\\''ore' --out '/o ut' --part \"$task/4\"\n", texts[SlurmScripts.Search]);
        Assert.DoesNotContain("--array", texts[SlurmScripts.MergeScript]);
        Assert.Contains(" --out '/o ut' --merge\n", texts[SlurmScripts.MergeScript]);
        Assert.Contains("#SBATCH --array=0-0\n", Texts(Pipeline(["r"], tasks: 1))[SlurmScripts.Embed]);
        var searchOnly = SlurmScripts.Scripts(Pipeline(["r"]) with { EmbedArgs = null }).Select(s => s.Name);
        Assert.Equal([SlurmScripts.Search, SlurmScripts.MergeScript, SlurmScripts.Submit], searchOnly);
        Assert.Equal([SlurmScripts.Embed, SlurmScripts.Submit], SlurmScripts.Scripts(Pipeline(["r"]) with { SearchArgs = null }).Select(s => s.Name));
    }

    [Fact]
    public void ValuesThatCannotGoIntoAnSbatchLineAreRefused()
    {
        Assert.ThrowsAny<UsageException>(() => SlurmScripts.Scripts(Pipeline(["r"]) with { Resources = new SlurmResources(Partition: "a b") }));
        Assert.ThrowsAny<UsageException>(() => SlurmScripts.Scripts(Pipeline(["r"]) with { Resources = new SlurmResources(Time: "1'") }));
        Assert.ThrowsAny<UsageException>(() => SlurmScripts.Scripts(Pipeline(["r"]) with { Tasks = 0 }));
        Assert.ThrowsAny<UsageException>(() => SlurmScripts.Scripts(Pipeline(["r"]) with { EmbedArgs = null, SearchArgs = null }));
    }

    [Fact]
    public void EveryWordSurvivesBashQuotingAndSplitWordsReadsShellQuotes()
    {
        var r = ProcessRunner.Run("bash", ["-c", "printf '%s\\0' " + SlurmScripts.QuoteAll(Hostile)]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Hostile, r.Stdout.Split('\0')[..^1]);
        Assert.Equal(["dotnet", "/opt/my tools/R.dll", "it's", "a\"b", "x y"], SlurmScripts.SplitWords("  dotnet \"/opt/my tools/R.dll\" 'it'\\''s' \"a\\\"b\" x\\ y "));
        Assert.ThrowsAny<UsageException>(() => SlurmScripts.SplitWords("dotnet 'open"));
    }

    [Fact]
    public void TheTaskScriptRunsTheToolWithEveryArgumentIntactAndItsPartOfN()
    {
        var folder = Path.Combine(Fixtures.TempFolder(), "scripts with 'quotes'");
        var record = Path.Combine(Fixtures.TempFolder(), "args.bin");
        // the "tool": writes its arguments NUL-separated, so that any character shows
        var pipeline = new SlurmPipeline(["bash", "-c", "printf '%s\\0' \"$@\" > \"$0\"", record], 3, new SlurmResources(), Path.Combine(folder, "logs"),
            ["embed", .. Hostile], ["search-store", .. Hostile]);
        SlurmScripts.Write(pipeline, folder);
        var env = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "2" };
        var run = ProcessRunner.Run("bash", [Path.Combine(folder, SlurmScripts.Embed)], environment: env);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["embed", .. Hostile, "--shard", "2/3"], File.ReadAllText(record).Split('\0')[..^1]);
        run = ProcessRunner.Run("bash", [Path.Combine(folder, SlurmScripts.Search)], environment: env);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["search-store", .. Hostile, "--part", "2/3"], File.ReadAllText(record).Split('\0')[..^1]);
        run = ProcessRunner.Run("bash", [Path.Combine(folder, SlurmScripts.MergeScript)]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["search-store", .. Hostile, "--merge"], File.ReadAllText(record).Split('\0')[..^1]);
        var noTask = ProcessRunner.Run("bash", [Path.Combine(folder, SlurmScripts.Search)], environment: new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "" });
        Assert.NotEqual(0, noTask.ExitCode);
        Assert.Contains("run this script through sbatch", noTask.Stderr);
    }

    [Fact]
    public void SubmitChainsTheJobsWithAfterokAndPrintsTheirIds()
    {
        var folder = Path.Combine(Fixtures.TempFolder(), "my scripts");
        var logs = Path.Combine(Fixtures.TempFolder(), "lo'gs");
        SlurmScripts.Write(Pipeline(["r"], logs: logs), folder);
        // a stand-in sbatch: records its arguments, prints ID;CLUSTER as --parsable does
        var bin = Fixtures.TempFolder();
        var calls = Path.Combine(bin, "calls.txt");
        File.WriteAllText(Path.Combine(bin, "sbatch"), $$"""
            #!/bin/bash
            n=$(( $(cat {{SlurmScripts.Quote(calls)}} 2>/dev/null | grep -c '^call') + 100 ))
            { echo call; printf '%s\n' "$@"; } >> {{SlurmScripts.Quote(calls)}}
            echo "$n;cluster"

            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, "sbatch"), (UnixFileMode)0b111_101_101);
        var run = ProcessRunner.Run("bash", [Path.Combine(folder, SlurmScripts.Submit)],
            environment: new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") });
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("embed 100\nsearch 101\nmerge 102\n", run.Stdout);
        var submitted = File.ReadAllText(calls).Split("call\n", StringSplitOptions.RemoveEmptyEntries).Select(c => c.TrimEnd('\n').Split('\n')).ToList();
        Assert.Equal(["--parsable", $"--output={logs}/embed-%A_%a.out", $"--error={logs}/embed-%A_%a.out", Path.Combine(folder, SlurmScripts.Embed)], submitted[0]);
        Assert.Equal(["--parsable", "--dependency=afterok:100", $"--output={logs}/search-%A_%a.out", $"--error={logs}/search-%A_%a.out", Path.Combine(folder, SlurmScripts.Search)], submitted[1]);
        Assert.Equal(["--parsable", "--dependency=afterok:101", $"--output={logs}/merge-%j.out", $"--error={logs}/merge-%j.out", Path.Combine(folder, SlurmScripts.MergeScript)], submitted[2]);
        Assert.True(Directory.Exists(logs));
    }
}
