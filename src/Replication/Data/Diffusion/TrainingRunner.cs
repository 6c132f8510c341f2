using System.Diagnostics;
using Replication.Core;

namespace Replication.Data.Diffusion;

/// <summary>
/// Runs models/ddpm/train_ddpm.py (training is done where the ecosystem trains: PyTorch) and turns its progress lines into
/// <see cref="TrainingProgress"/>. The interpreter is $REPLICATION_PYTHON, else /usr/bin/python3 when it exists, else
/// python3 on PATH; it is checked for PyTorch, NumPy and Pillow first, with one line saying what to install.
/// </summary>
public static class TrainingRunner
{
    public const string Install = "PyTorch ≥ 1.13 with NumPy and Pillow (Debian 12: apt-get install python3-torch python3-numpy python3-pil libopenblas0-pthread)";

    public static string Python() =>
        Environment.GetEnvironmentVariable("REPLICATION_PYTHON") is { Length: > 0 } chosen ? chosen
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>models/ddpm/train_ddpm.py of the repository this runs from.</summary>
    public static string Script() =>
        RepositoryPaths.Root() is { } root && File.Exists(Path.Combine(root, "models", "ddpm", "train_ddpm.py"))
            ? Path.Combine(root, "models", "ddpm", "train_ddpm.py")
            : throw new EnvironmentException("models/ddpm/train_ddpm.py not found: training runs from a checkout of the repository (run from inside it)");

    /// <summary>Throws <see cref="EnvironmentException"/> with what to install when the interpreter cannot import the packages.</summary>
    public static string CheckEnvironment(string python)
    {
        var (code, output) = Capture(python, ["-c", "import torch, numpy, PIL; print(torch.__version__)"]);
        if (code == 0) return output.Trim();
        throw new EnvironmentException(code == -1
            ? $"training needs Python: '{python}' could not be started; install {Install}, or set REPLICATION_PYTHON"
            : $"training needs {Install}; '{python}' cannot import them ({output.Trim().Split('\n')[^1]}); set REPLICATION_PYTHON to another interpreter");
    }

    /// <summary>Runs the script with <paramref name="arguments"/>; progress lines go to <paramref name="progress"/>, every other line to <paramref name="log"/>.</summary>
    public static int Run(IReadOnlyList<string> arguments, IProgress<TrainingProgress>? progress = null, Action<string>? log = null)
    {
        string python = Python();
        CheckEnvironment(python);
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(Script());
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{python}' could not be started");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.BeginErrorReadLine();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (TrainingProgress.Parse(line) is { } p) progress?.Report(p);
            else log?.Invoke(line);
        }
        process.WaitForExit();
        return process.ExitCode;
    }

    private static (int Code, string Output) Capture(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(start)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, p.ExitCode == 0 ? stdout : stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "");
        }
    }
}
