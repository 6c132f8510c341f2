namespace Replication.Tests.Cli;

/// <summary>subsets, sample and train on the command line: options checked with their names before work, exit codes of the error model.</summary>
public class DiffusionCommandsTests
{
    private static readonly string Card = Fixtures.Path("ddpm", "tiny", "card.json");

    [Theory]
    [InlineData("--steps", "0", "--steps must be a whole number from 1 to 1000")]
    [InlineData("--steps", "1001", "--steps must be a whole number from 1 to 1000")]
    [InlineData("--eta", "2", "--eta must be a number from 0 to 1")]
    [InlineData("--sampler", "euler", "--sampler: 'euler' is not one of ddim, ddpm")]
    [InlineData("--seed", "-1", "--seed must be a whole number ≥ 0")]
    public void SampleRefusesABadOptionByNameBeforeDrawing(string option, string value, string message)
    {
        var dir = Fixtures.TempFolder();
        var r = CliRunner.Run("sample", "--denoiser", Card, "--count", "2", "--out", Path.Combine(dir, "s"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "s")));
    }

    [Fact]
    public void SampleDrawsResumesAndNamesAMissingCard()
    {
        var dir = Fixtures.TempFolder();
        var r = CliRunner.Run("sample", "--denoiser", Card, "--count", "3", "--steps", "4", "--out", Path.Combine(dir, "s"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "s", "manifest.csv")).Length);
        var again = CliRunner.Run("sample", "--denoiser", Card, "--count", "3", "--steps", "4", "--out", Path.Combine(dir, "s"));
        Assert.Contains("(3 reused)", again.Stdout);
        var other = CliRunner.Run("sample", "--denoiser", Card, "--count", "3", "--steps", "5", "--out", Path.Combine(dir, "s"));
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("steps 4 there, 5 now", other.Stderr);
        var missing = CliRunner.Run("sample", "--denoiser", Path.Combine(dir, "none.json"), "--count", "1", "--out", Path.Combine(dir, "t"));
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("--denoiser", missing.Stderr);
    }

    [Fact]
    public void SubsetsRefusesBadSizesAndWritesNestedManifests()
    {
        var dir = Fixtures.TempFolder();
        var clipart = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart");
        var bad = CliRunner.Run("subsets", "--images", clipart, "--sizes", "4,x", "--out", Path.Combine(dir, "bad"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--sizes: 'x' is not a whole number", bad.Stderr);
        var r = CliRunner.Run("subsets", "--images", clipart, "--sizes", "3,6", "--out", Path.Combine(dir, "ok"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "ok", "subset-3.csv")).Length);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(dir, "ok", "subset-6.csv")).Length);
    }

    [Fact]
    public void TrainWithoutPyTorchIsOneLineAndTheEnvironmentExitCode()
    {
        var dir = Fixtures.TempFolder();
        var manifest = Path.Combine(dir, "m.csv");
        File.WriteAllText(manifest, "path\nx.png\n");
        var r = ProcessRunner.Run("env", ["REPLICATION_PYTHON=/nonexistent/python3", "dotnet", Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll"),
            "train", "--preset", "tiny-test", "--data", manifest, "--run", Path.Combine(dir, "run")]);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("could not be started; install PyTorch", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
