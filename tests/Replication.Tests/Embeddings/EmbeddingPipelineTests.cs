using Replication.Embeddings;
using Replication.Images;
using Replication.Tests.Cli;

namespace Replication.Tests.Embeddings;

/// <summary>One unusable file never aborts a run: it is skipped with the exception's type and message.</summary>
public class EmbeddingPipelineTests
{
    /// <summary>
    /// rocket.jpg with six bytes changed (found by a seeded mutation run): byte 2 is not 0xFF, so the file goes to ImageSharp,
    /// whose <c>Image.Identify</c> then throws a NullReferenceException (ImageSharp 2.1.13).
    /// </summary>
    internal static void WriteJpegThatCrashesIdentify(string path)
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("preprocessing", "rocket.jpg"));
        foreach (var (at, value) in new (int, byte)[] { (2, 0x00), (23, 0xE7), (366, 0xD3), (413, 0x7F), (462, 0xD6), (532, 0x46) })
            bytes[at] = value;
        File.WriteAllBytes(path, bytes);
    }

    private static string FolderWithTwoGoodImages()
    {
        var dir = Fixtures.TempFolder();
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(dir, "a.png"));
        File.Copy(Fixtures.Path("preprocessing", "chelsea.png"), Path.Combine(dir, "c.png"));
        return dir;
    }

    [Fact]
    public void ACorruptJpegThatCrashesImageSharpsIdentifyIsSkippedWithTheExceptionType()
    {
        var dir = FolderWithTwoGoodImages();
        WriteJpegThatCrashesIdentify(Path.Combine(dir, "b.jpg"));
        using var extractor = FeatureExtractor.Open("pixels");
        var set = EmbeddingPipeline.Run(ImageCollection.FromFolder(dir), extractor, batchSize: 3);
        Assert.Equal(["a.png", "c.png"], set.Images.Select(i => i.Id));
        var skipped = Assert.Single(set.Skipped);
        Assert.EndsWith("b.jpg", skipped.Path);
        Assert.Contains("NullReferenceException", skipped.Reason);
    }

    [Fact]
    public void ADanglingSymlinkIsSkippedWithTheExceptionTypeAndMessage()
    {
        var dir = FolderWithTwoGoodImages();
        File.CreateSymbolicLink(Path.Combine(dir, "b.png"), Path.Combine(dir, "gone.png"));
        using var extractor = FeatureExtractor.Open("pixels");
        var set = EmbeddingPipeline.Run(ImageCollection.FromFolder(dir), extractor);
        Assert.Equal(2, set.Count);
        var skipped = Assert.Single(set.Skipped);
        Assert.Contains("FileNotFoundException", skipped.Reason);
        Assert.Contains("Could not find file", skipped.Reason);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AFileWithoutReadPermissionIsSkippedAndTheRunContinues()
    {
        // Root ignores file modes: the CLI runs as 'nobody' (setpriv) when these tests run as root.
        var dir = FolderWithTwoGoodImages();
        var secret = Path.Combine(dir, "b.png");
        File.Copy(Fixtures.Path("preprocessing", "horse.png"), secret);
        File.SetUnixFileMode(secret, UnixFileMode.None);
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        foreach (var d in new[] { dir, Path.GetDirectoryName(outDir)! })
            File.SetUnixFileMode(d, (UnixFileMode)0b111_111_111);
        var result = CliRunner.RunAsUnprivileged("embed", "--model", "pixels", "--images", dir, "--out", outDir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var skippedCsv = File.ReadAllText(Path.Combine(outDir, "skipped.csv"));
        Assert.Contains("b.png", skippedCsv);
        Assert.Contains("UnauthorizedAccessException", skippedCsv);
        Assert.Contains("2 embeddings", result.Stdout);
    }
}
