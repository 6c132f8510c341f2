using System.Diagnostics;
using Replication.Data.Diffusion;

namespace Replication.Tests.Data.Diffusion;

/// <summary>
/// models/ddpm/train_ddpm.py through /usr/bin/python3 (CI installs python3-torch): its self-test (both diffusers attention
/// layouts load, a misshapen checkpoint is refused by name), exact resume after an abrupt end, refusal to resume with other
/// settings, and one clear line when PyTorch is missing.
/// </summary>
public class TrainingScriptTests
{
    private static readonly string Script = Path.Combine(Fixtures.RepositoryRoot(), "models", "ddpm", "train_ddpm.py");

    private static (int Code, string Out, string Err) Python(string[] args, string? pythonPath = null)
    {
        Requires.Python("python3-torch python3-numpy python3-pil libopenblas0-pthread", "torch", "numpy", "PIL");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var a in args) start.ArgumentList.Add(a);
        if (pythonPath is not null) start.Environment["PYTHONPATH"] = pythonPath;
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "the script hung");
        return (p.ExitCode, output, err.Result);
    }

    private static string Manifest()
    {
        var dir = Fixtures.TempFolder();
        var clipart = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart");
        var files = Directory.GetFiles(clipart, "*.png").Order(StringComparer.Ordinal).Take(5);
        var path = Path.Combine(dir, "m.csv");
        File.WriteAllLines(path, ["path", .. files]);
        return path;
    }

    private static string Digest(string stdout) => stdout.Split('\n').Single(l => l.StartsWith("done:", StringComparison.Ordinal)).Split("sha256 ")[1].Trim();

    [SkippableFact]
    public void SelfTestPasses()
    {
        var (code, output, err) = Python(["self-test"]);
        Assert.True(code == 0, err);
        Assert.Contains("both attention layouts load", output);
    }

    [SkippableFact]
    public void AnAbruptlyEndedRunResumesToTheSameWeightsAsAnUninterruptedOne()
    {
        var manifest = Manifest();
        var dir = Path.GetDirectoryName(manifest)!;
        var whole = Python(["train", "--preset", "tiny-test", "--data", manifest, "--run", Path.Combine(dir, "whole")]);
        Assert.True(whole.Code == 0, whole.Err);
        var cut = Python(["train", "--preset", "tiny-test", "--data", manifest, "--run", Path.Combine(dir, "cut"), "--checkpoint-every", "2", "--die-after", "5"]);
        Assert.Equal(137, cut.Code); // ended between checkpoints, like kill -9
        var resumed = Python(["train", "--preset", "tiny-test", "--data", manifest, "--run", Path.Combine(dir, "cut"), "--checkpoint-every", "2"]);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("resumed at step 4/6", resumed.Out);
        Assert.Equal(Digest(whole.Out), Digest(resumed.Out));
        Assert.Equal(7, File.ReadAllLines(Path.Combine(dir, "cut", "train-log.csv")).Length); // header + 6 steps, none twice

        var other = Python(["train", "--preset", "tiny-test", "--data", manifest, "--run", Path.Combine(dir, "cut"), "--seed", "3"]);
        Assert.Equal(1, other.Code);
        Assert.Contains("made with seed=0, this run has seed=3", other.Err);
    }

    [SkippableFact]
    public void AMissingPyTorchIsOneLineSayingWhatToInstall()
    {
        var fake = Fixtures.TempFolder();
        Directory.CreateDirectory(Path.Combine(fake, "torch"));
        File.WriteAllText(Path.Combine(fake, "torch", "__init__.py"), "raise ImportError(\"No module named 'torch'\", name='torch')\n");
        var (code, _, err) = Python(["self-test"], pythonPath: fake);
        Assert.NotEqual(0, code);
        Assert.Equal("error: torch is missing: install PyTorch ≥ 1.13, NumPy and Pillow (Debian 12: apt-get install python3-torch python3-numpy python3-pil libopenblas0-pthread)", err.Trim());
    }

    [SkippableFact]
    public void TheRunnerNamesWhatToInstallWhenTheInterpreterCannotImportPyTorch()
    {
        var e = Assert.Throws<EnvironmentException>(() => TrainingRunner.CheckEnvironment("/nonexistent/python3"));
        Assert.Contains("could not be started", e.Message);
        Assert.Contains("python3-torch", e.Message);
    }

    [Theory]
    [InlineData("progress 120/16000 loss=0.0512 steps/s=4.80", 120, 16000, 0.0512, 4.8)]
    [InlineData("resumed at step 4/6 from x", -1, 0, 0, 0)]
    [InlineData("progress x/6 loss=1 steps/s=1", -1, 0, 0, 0)]
    public void ProgressLinesAreParsed(string line, int step, int total, double loss, double rate)
    {
        var p = TrainingProgress.Parse(line);
        if (step < 0) { Assert.Null(p); return; }
        Assert.Equal(new TrainingProgress(step, total, loss, rate), p);
    }
}
