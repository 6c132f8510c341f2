using System.Collections.Concurrent;
using System.Diagnostics;

namespace Replication.Tests;

/// <summary>
/// Optional system packages some tests need. A test that lacks one skips with one line naming the Debian package to install,
/// except under <c>CI=true</c> (<c>.ci/run</c> installs them all), where the absence is a failure. Use with <c>[SkippableFact]</c>.
/// </summary>
internal static class Requires
{
    private static readonly ConcurrentDictionary<string, string?> Checked = new(StringComparer.Ordinal);

    /// <summary>/usr/bin/python3 able to import every module (e.g. "torch", "onnx"); <paramref name="packages"/> is the apt line.</summary>
    public static void Python(string packages, params string[] modules)
    {
        string key = "python:" + string.Join(",", modules);
        string? problem = Checked.GetOrAdd(key, _ =>
        {
            if (!File.Exists("/usr/bin/python3")) return $"/usr/bin/python3 is missing: apt-get install {packages}";
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(string.Join("; ", modules.Select(m => $"import {m}")));
            using var p = Process.Start(start)!;
            p.StandardOutput.ReadToEnd();
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit(120_000);
            return p.ExitCode == 0 ? null : $"/usr/bin/python3 cannot import {string.Join(", ", modules)} ({err.Trim().Split('\n')[^1]}): apt-get install {packages}";
        });
        Missing(problem);
    }

    /// <summary>A file or folder an apt package installs.</summary>
    public static void PathOf(string path, string package)
    {
        Missing(File.Exists(path) || Directory.Exists(path) ? null : $"{path} is missing: apt-get install {package}");
    }

    private static void Missing(string? problem)
    {
        if (problem is null) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"CI=true and {problem}");
        Skip.If(true, problem);
    }
}
