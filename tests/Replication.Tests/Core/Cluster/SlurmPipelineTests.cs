using System.Diagnostics;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Tests.Cli;
using Replication.Tests.Embeddings.Store;

namespace Replication.Tests.Core.Cluster;

/// <summary>
/// The pipeline on a real one-node Slurm (<see cref="SlurmCluster"/>): <c>cluster slurm --submit</c> submits the embedding array, the
/// search array and the merge chained with afterok; the store equals one process's embedding and matches.csv/counts.csv equal one
/// process's search-store byte for byte. Then a node "lost" mid-array (a part and a shard gone): submitting again computes only
/// those. Skipped where Slurm cannot start; under CI=true that fails instead.
/// </summary>
public class SlurmPipelineTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(150);

    private Dictionary<string, string> Submit(string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll");
        var r = ProcessRunner.Run("dotnet", [dll, .. args, "--submit"], environment: cluster.Environment);
        Assert.True(r.ExitCode == 0, $"cluster slurm --submit: {r.Stdout}{r.Stderr}\n{cluster.Logs()}");
        var ids = r.Stdout.Split('\n').Select(l => l.Split(' ')).Where(w => w.Length == 2 && w[0] is "embed" or "search" or "merge")
            .ToDictionary(w => w[0], w => w[1]);
        Assert.Equal(["embed", "search", "merge"], ids.Keys);
        return ids;
    }

    private void WaitAll(Dictionary<string, string> ids, string logs)
    {
        string merge = cluster.Wait(ids["merge"], Limit);
        string Log() => string.Join("\n", Directory.GetFiles(logs).Order().Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));
        Assert.True(merge == "COMPLETED", $"merge job {ids["merge"]}: {merge}; embed {cluster.JobState(ids["embed"])}, search {cluster.JobState(ids["search"])}\n{Log()}\n{cluster.Logs()}");
        Assert.Equal("COMPLETED", cluster.JobState(ids["embed"]));
        Assert.Equal("COMPLETED", cluster.JobState(ids["search"]));
    }

    [SkippableFact]
    public void TheArraysAndTheMergeOnSlurmEqualOneProcessAndASecondSubmissionResumes()
    {
        cluster.SkipOrFailWhenAbsent();
        var watch = Stopwatch.StartNew();
        var (_, shards) = StoreFixtures.NoiseShards(count: 20, perShard: 4, size: 64);
        var reference = Path.Combine(Fixtures.TempFolder(), "reference");
        Assert.Equal(0, CliRunner.Run("embed", "--model", "pixels", "--shards", shards, "--out", reference, "--batch", "4").ExitCode);
        var queries = Path.Combine(Fixtures.TempFolder(), "queries.npy");
        File.Copy(Path.Combine(StoreFiles.ShardFolder(reference, 3), StoreFiles.Vectors), queries);
        var single = Path.Combine(Fixtures.TempFolder(), "single");
        Assert.Equal(0, CliRunner.Run("search-store", "--queries", queries, "--store", reference, "--out", single, "--k", "3", "--count-above", "0.5,0.9").ExitCode);

        var work = Path.Combine(Fixtures.TempFolder(), "slurm work");
        string store = Path.Combine(work, "store"), outDir = Path.Combine(work, "search"), scripts = Path.Combine(work, "scripts"), logs = Path.Combine(scripts, "logs");
        string[] args = ["cluster", "slurm", "--out-scripts", scripts, "--tasks", "3", "--time", "00:05:00", "--cpus-per-task", "1", "--job-name", "rt",
            "--shards", shards, "--store", store, "--model", "pixels", "--batch", "4", "--queries", queries, "--out", outDir, "--k", "3", "--count-above", "0.5,0.9"];
        var first = Submit(args);
        WaitAll(first, logs);
        Assert.Equal(StoreFixtures.Files(reference), StoreFixtures.Files(store));
        foreach (var name in new[] { StoreSearch.Matches, StoreSearch.CountsFile })
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, name)), File.ReadAllBytes(Path.Combine(outDir, name)));
        Assert.Equal(3, Directory.GetFiles(logs, $"search-{first["search"]}_*.out").Length);
        var firstTime = watch.Elapsed;

        // a node lost mid-array: shard 1's embedding and part 4 are gone; submitting again redoes only those
        File.Delete(Path.Combine(StoreFiles.ShardFolder(store, 1), StoreFiles.Done));
        File.Delete(Path.Combine(store, StoreFiles.Manifest));
        File.Delete(Path.Combine(outDir, StoreSearch.Parts, "00004.part"));
        var second = Submit(args);
        WaitAll(second, logs);
        string embedLogs = string.Concat(Directory.GetFiles(logs, $"embed-{second["embed"]}_*.out").Select(File.ReadAllText));
        Assert.Contains("shard 1 (00001.tar): 4 rows, 0 skipped (", embedLogs);
        Assert.Contains("shard 0 (00000.tar): 4 rows, 0 skipped (done earlier, kept)", embedLogs);
        string searchLogs = string.Concat(Directory.GetFiles(logs, $"search-{second["search"]}_*.out").Select(File.ReadAllText));
        Assert.Contains("part 4: searched", searchLogs);
        Assert.Contains("part 0: done earlier, kept", searchLogs);
        Assert.Equal(StoreFixtures.Files(reference), StoreFixtures.Files(store));
        foreach (var name in new[] { StoreSearch.Matches, StoreSearch.CountsFile })
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, name)), File.ReadAllBytes(Path.Combine(outDir, name)));
        Console.WriteLine($"Slurm: cluster up in {cluster.StartTime.TotalSeconds:F1} s; first pipeline done at {firstTime.TotalSeconds:F1} s, resumed one at {watch.Elapsed.TotalSeconds:F1} s");
    }
}
