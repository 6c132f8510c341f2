namespace Replication.Tests.Cli;

/// <summary>An output that cannot be written is a one-line error (exit 1), not a crash.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class UnwritableOutputTests
{
    [Fact]
    public void SearchIntoAFolderItMayNotWriteIsAOneLineError()
    {
        var dir = Fixtures.TempFolder();
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101); // rwxr-xr-x, owned by the test user: 'nobody' may not write
        var npy = Fixtures.Path("npy", "float32_7x5.npy");
        var r = CliRunner.RunAsUnprivileged("search", "--queries", npy, "--gallery", npy, "--k", "2", "--out", Path.Combine(dir, "sub", "m.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
