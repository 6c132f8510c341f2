using Replication.Core.Cluster;
using Replication.Embeddings.Store;
using Replication.Search.Store;

namespace Replication.Tests.Cli;

/// <summary>
/// <c>cluster slurm</c> and <c>search-store --part/--merge</c> from the command line, without Slurm: the scripts it writes, run by
/// hand (their array tasks side by side, as on a cluster), give byte for byte the store and the search of one process; mistakes
/// end with their exit codes.
/// </summary>
public class SlurmCliTests
{
    [Fact]
    public void TheScriptsRunByHandWithoutSlurmEqualOneProcessAndARerunResumes()
    {
        var (_, shards) = Embeddings.Store.StoreFixtures.NoiseShards(count: 20, perShard: 4, size: 64);
        var reference = Path.Combine(Fixtures.TempFolder(), "reference");
        Assert.Equal(0, CliRunner.Run("embed", "--model", "pixels", "--shards", shards, "--out", reference, "--batch", "4").ExitCode);
        var queries = Path.Combine(Fixtures.TempFolder(), "queries.npy");
        File.Copy(Path.Combine(StoreFiles.ShardFolder(reference, 2), StoreFiles.Vectors), queries);
        var single = Path.Combine(Fixtures.TempFolder(), "single");
        var one = CliRunner.Run("search-store", "--queries", queries, "--store", reference, "--out", single, "--k", "3", "--count-above", "0.5,0.9");
        Assert.True(one.ExitCode == 0, one.Stderr);

        var work = Path.Combine(Fixtures.TempFolder(), "a 'work' folder");
        string store = Path.Combine(work, "store"), outDir = Path.Combine(work, "search"), scripts = Path.Combine(work, "scripts");
        var written = CliRunner.Run("cluster", "slurm", "--out-scripts", scripts, "--tasks", "3", "--shards", shards, "--store", store, "--model", "pixels",
            "--batch", "4", "--queries", queries, "--out", outDir, "--k", "3", "--count-above", "0.5,0.9");
        Assert.True(written.ExitCode == 0, written.Stderr);
        Assert.Contains("submit with: bash", written.Stdout);
        string embed = File.ReadAllText(Path.Combine(scripts, SlurmScripts.Embed));
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll"), embed); // the default --replication: how the CLI was started

        void Array(string script)
        {
            var tasks = Enumerable.Range(0, 3).Select(i => Task.Run(() => ProcessRunner.Run("bash", [Path.Combine(scripts, script)],
                environment: new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))).ToArray();
            foreach (var t in tasks) Assert.True(t.Result.ExitCode == 0, $"{script}: {t.Result.Stdout}{t.Result.Stderr}");
        }
        Array(SlurmScripts.Embed);
        Assert.Equal(Embeddings.Store.StoreFixtures.Files(reference), Embeddings.Store.StoreFixtures.Files(store));
        Array(SlurmScripts.Search);
        var merge = ProcessRunner.Run("bash", [Path.Combine(scripts, SlurmScripts.MergeScript)]);
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        Assert.Contains("(0 parts searched, 5 kept)", merge.Stdout);
        foreach (var name in new[] { StoreSearch.Matches, StoreSearch.CountsFile })
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, name)), File.ReadAllBytes(Path.Combine(outDir, name)));

        // a task lost with its node: its part is missing; the merge says which, a rerun of the array computes only it
        File.Delete(Path.Combine(outDir, StoreSearch.Parts, "00004.part"));
        var missing = ProcessRunner.Run("bash", [Path.Combine(scripts, SlurmScripts.MergeScript)]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("1 of 5 parts missing (or written for another search): 4;", missing.Stderr);
        var rerun = ProcessRunner.Run("bash", [Path.Combine(scripts, SlurmScripts.Search)], environment: new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "1" });
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains("part 1/3 of 5 gallery shards: 1 parts searched, 1 kept", rerun.Stdout);
        Assert.Equal(0, ProcessRunner.Run("bash", [Path.Combine(scripts, SlurmScripts.MergeScript)]).ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, StoreSearch.Matches)), File.ReadAllBytes(Path.Combine(outDir, StoreSearch.Matches)));
    }

    [Fact]
    public void MistakesEndWithTheirExitCodes()
    {
        var scripts = Path.Combine(Fixtures.TempFolder(), "s");
        Assert.Equal(2, CliRunner.Run("cluster", "slurm", "--out-scripts", scripts, "--store", "st").ExitCode); // nothing to run
        Assert.Equal(2, CliRunner.Run("cluster", "slurm", "--out-scripts", scripts, "--store", "st", "--queries", "q.npy").ExitCode); // no --out
        Assert.Equal(2, CliRunner.Run("cluster", "slurm", "--out-scripts", scripts, "--store", "st", "--shards", "sh", "--k", "3").ExitCode); // a search option, no search
        var k = CliRunner.Run("cluster", "slurm", "--out-scripts", scripts, "--store", "st", "--queries", "q.npy", "--out", "o", "--k", "0");
        Assert.Equal(2, k.ExitCode);
        Assert.Contains("the search-store jobs would fail: --k must be a whole number", k.Stderr);
        Assert.Equal(2, CliRunner.Run("cluster", "slurm", "--out-scripts", scripts, "--store", "st", "--shards", "sh", "--partition", "a b").ExitCode);
        Assert.Equal(2, CliRunner.Run("cluster", "slurm", "--out-scripts", scripts, "--store", "st", "--shards", "sh", "--tasks", "0").ExitCode);
        Assert.False(File.Exists(Path.Combine(scripts, SlurmScripts.Submit)));
        Assert.Equal(2, CliRunner.Run("search-store", "--queries", "q.npy", "--store", "st", "--out", "o", "--part", "3/3").ExitCode);

        // --submit where sbatch is not on PATH: the scripts are written, the run ends as an environment problem
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "/usr/bin/dotnet";
        var noSlurm = ProcessRunner.Run(dotnet, [Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll"), "cluster", "slurm", "--out-scripts", scripts,
            "--store", "st", "--shards", "sh", "--submit"], environment: new Dictionary<string, string> { ["PATH"] = "/nonexistent" });
        Assert.Equal(4, noSlurm.ExitCode);
        Assert.Contains("sbatch is not on PATH", noSlurm.Stderr);
        Assert.True(File.Exists(Path.Combine(scripts, SlurmScripts.Submit)));
    }
}
