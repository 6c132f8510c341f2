using Replication.Tests.Figures;

namespace Replication.Tests.Cli;

/// <summary>The CLI packs as the <c>replication</c> .NET tool, installs from the package, and runs with its charts renderer
/// and built-in model inside the package. Serial with the notebook tests, which build the same project.</summary>
[Collection(nameof(NotebookCollection))]
public class ToolPackageTests
{
    [Fact]
    public void PacksInstallsAndRunsAsTheReplicationTool()
    {
        string root = Fixtures.RepositoryRoot(), dir = Fixtures.TempFolder();
        string packages = Path.Combine(dir, "packages"), tools = Path.Combine(dir, "tools");
        var pack = ProcessRunner.Run("dotnet", ["pack", "src/Replication.Cli", "-c", "Release", "-o", packages, "-nologo"], root, TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);
        // a pointer package and one package per platform (RID-specific tool packages)
        var nupkgs = Directory.GetFiles(packages, "Replication.Tool.*.nupkg").Select(Path.GetFileName).ToList();
        var pointer = Assert.Single(nupkgs, n => System.Text.RegularExpressions.Regex.IsMatch(n!, @"^Replication\.Tool\.\d+\.\d+\.\d+\.nupkg$"));
        string version = Path.GetFileNameWithoutExtension(pointer)!["Replication.Tool.".Length..];
        Assert.Contains($"Replication.Tool.linux-x64.{version}.nupkg", nupkgs);
        // the NuGet cache would otherwise serve a package of the same version packed from older code (and keep 300 MB)
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string[] cached = [Path.Combine(cache, "replication.tool", version), Path.Combine(cache, "replication.tool.linux-x64", version)];
        foreach (var c in cached) if (Directory.Exists(c)) Directory.Delete(c, true);
        var install = ProcessRunner.Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages, "Replication.Tool", "--version", version], dir, TimeSpan.FromMinutes(3));
        foreach (var c in cached) if (Directory.Exists(c)) Directory.Delete(c, true);
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
        // only this platform's native libraries are installed
        Assert.Empty(Directory.GetDirectories(tools, "win-x64", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(tools, "onnxruntime.dll", SearchOption.AllDirectories));
        string exe = Path.Combine(tools, "replication");
        var help = ProcessRunner.Run(exe, ["--help"], dir, TimeSpan.FromMinutes(1));
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:", help.Stdout);
        Assert.Contains("replication [command] [options]", help.Stdout);
        // the built-in model travels in the package: a scan of three images works from the installed tool
        var images = Path.Combine(dir, "img");
        Directory.CreateDirectory(images);
        foreach (var f in new[] { "chelsea.png", "camera.png", "horse.png" }) File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(images, f));
        var train = Path.Combine(dir, "train");
        Directory.CreateDirectory(train);
        foreach (var f in new[] { "chelsea.png", "camera.png" }) File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(train, f));
        var scan = ProcessRunner.Run(exe, ["scan", "--generated", images, "--training", train, "--out", Path.Combine(dir, "out")], dir, TimeSpan.FromMinutes(3));
        Assert.True(scan.ExitCode == 0, scan.Stdout + scan.Stderr);
        Assert.True(File.Exists(Path.Combine(dir, "out", "report.html")));
        // one version everywhere: the tool's and the library's
        var v = ProcessRunner.Run(exe, ["--version"], dir, TimeSpan.FromMinutes(1));
        Assert.StartsWith(version + "+", v.Stdout.Trim());
        Assert.StartsWith(version + "+", Replication.Reporting.Provenance.Version);
        // the demo runs from the installed tool outside any checkout: it carries its sources
        var demo = ProcessRunner.Run(exe, ["demo", "--out", Path.Combine(dir, "demo"), "--max-sources", "6", "--replicas-per-kind", "1"], dir, TimeSpan.FromMinutes(3));
        Assert.True(demo.ExitCode == 0, demo.Stdout + demo.Stderr);
        Assert.True(File.Exists(Path.Combine(dir, "demo", "report.html")));
    }
}
