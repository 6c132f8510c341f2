using Replication.Tests.Cli;

namespace Replication.Tests.Images;

/// <summary>Manifest paths resolve against the manifest's folder; relative paths that leave it are used but said so.</summary>
public class ManifestPathTests
{
    [Fact]
    public void PathsOutsideTheManifestsFolderAreNamedInAWarning()
    {
        var root = Fixtures.TempFolder();
        var dir = Path.Combine(root, "set");
        Directory.CreateDirectory(dir);
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(dir, "a.png"));
        File.Copy(Fixtures.Path("preprocessing", "chelsea.png"), Path.Combine(root, "elsewhere.png"));
        var manifest = Path.Combine(dir, "manifest.csv");
        File.Copy(Fixtures.Path("preprocessing", "chelsea.png"), Path.Combine(root, "absolute.png"));
        File.WriteAllText(manifest, $"path\na.png\n../elsewhere.png\n{Path.Combine(root, "absolute.png")}\n");
        var r = CliRunner.Run("embed", "--model", "pixels", "--images", manifest, "--out", Path.Combine(root, "out"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("3 embeddings", r.Stdout);
        Assert.Contains("1 path leads outside the manifest's folder: ../elsewhere.png", r.Stderr); // an absolute path is deliberate: no warning
    }
}
