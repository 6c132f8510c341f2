using System.Runtime.Versioning;

namespace Replication.Tests.Cli;

/// <summary>Runs the real CLI (Replication.Cli.dll next to the tests) in a child process.</summary>
internal static class CliRunner
{
    public static ProcessRunner.Result Run(params string[] args) =>
        ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll"), .. args]);

    /// <summary>
    /// Runs the CLI as user 'nobody' when the tests run as root (root ignores file modes), through <c>setpriv</c>; as the
    /// current user otherwise. Paths the CLI reads or writes must be accessible to 'nobody'.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static ProcessRunner.Result RunAsUnprivileged(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll");
        if (Environment.UserName != "root")
            return ProcessRunner.Run("dotnet", [dll, .. args]);
        var home = Fixtures.TempFolder();
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
        return ProcessRunner.Run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", $"HOME={home}", $"DOTNET_CLI_HOME={home}", "dotnet", dll, .. args]);
    }
}
