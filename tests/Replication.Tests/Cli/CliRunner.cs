namespace Replication.Tests.Cli;

/// <summary>Runs the real CLI (Replication.Cli.dll next to the tests) in a child process.</summary>
internal static class CliRunner
{
    public static ProcessRunner.Result Run(params string[] args) =>
        ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll"), .. args]);
}
