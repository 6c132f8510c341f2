using System.Text.Json.Nodes;
using Replication.Core.Formats;
using Replication.Embeddings;

namespace Replication.Tests.Cli;

/// <summary><c>embed</c> and <c>scan</c> on truncated files: skipped with the reason by default, decoded with <c>--accept-truncated</c>
/// (recorded in embeddings.json, summary.json and the report's provenance).</summary>
public class TruncatedImagesCliTests
{
    private static string Folder()
    {
        var dir = Fixtures.TempFolder();
        foreach (var f in Directory.GetFiles(Fixtures.Path("truncated"), "*-cut.*").Where(f => !f.EndsWith(".pil.png", StringComparison.Ordinal)))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(dir, "whole.png"));
        return dir;
    }

    [Fact]
    public void EmbedSkipsTruncatedFilesWithTheReasonUnlessAskedToAcceptThem()
    {
        var images = Folder();
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var r = CliRunner.Run("embed", "--model", "pixels", "--images", images, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var skipped = CsvTable.Read(Path.Combine(outDir, "skipped.csv"));
        Assert.Equal(6, skipped.Rows.Count);
        Assert.All(Enumerable.Range(0, 6), i => Assert.Contains("truncated", skipped.Cell(i, "reason")));
        Assert.False((bool)JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, EmbeddingFiles.Metadata)))!["acceptTruncated"]!);

        var accepted = Path.Combine(Fixtures.TempFolder(), "accepted");
        r = CliRunner.Run("embed", "--model", "pixels", "--images", images, "--out", accepted, "--accept-truncated");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var one = CsvTable.Read(Path.Combine(accepted, "skipped.csv"));
        Assert.Equal("webp-cut.webp", Path.GetFileName(Assert.Single(one.Rows)[0]));
        Assert.Equal(6, EmbeddingFolder.Open(accepted).Count);
        Assert.True((bool)JsonNode.Parse(File.ReadAllText(Path.Combine(accepted, EmbeddingFiles.Metadata)))!["acceptTruncated"]!);
        Assert.Contains("--accept-truncated", CliRunner.Run("embed", "--help").Stdout);
    }

    [Fact]
    public void ScanRecordsTheChoiceInItsSummaryAndProvenance()
    {
        var training = Fixtures.TempFolder();
        foreach (var f in new[] { "camera.png", "chelsea.png", "horse.png" })
            File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(training, f));
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var r = CliRunner.Run("scan", "--generated", Folder(), "--training", training, "--out", outDir, "--model", "pixels", "--accept-truncated");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True((bool)JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["accept_truncated"]!);
        Assert.Contains("truncated images accepted, as Pillow", File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Equal(6, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["generated"]!["images"]!);
    }
}
