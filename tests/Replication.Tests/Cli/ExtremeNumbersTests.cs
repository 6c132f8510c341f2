using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;
using Replication.Core.Formats;

namespace Replication.Tests.Cli;

/// <summary>Numeric options at their extremes: clamped with a note where a meaning exists (k), refused up front otherwise.</summary>
public class ExtremeNumbersTests
{
    private static (string Queries, string Gallery, string Dir) SmallSearchFiles()
    {
        var dir = Fixtures.TempFolder();
        var rng = new Random(3);
        foreach (var (name, rows) in new[] { ("q.npy", 3), ("g.npy", 5) })
            using (var w = new NpyWriter(Path.Combine(dir, name), 4))
            {
                w.WriteRows(Enumerable.Range(0, rows * 4).Select(_ => (float)rng.NextDouble()).ToArray());
                w.Commit();
            }
        return (Path.Combine(dir, "q.npy"), Path.Combine(dir, "g.npy"), dir);
    }

    [Fact]
    public void SearchWithKFarAboveTheGalleryIsClampedToAFullRankingWithANote()
    {
        var (q, g, dir) = SmallSearchFiles();
        var r = CliRunner.Run("search", "--queries", q, "--gallery", g, "--k", "2147483647", "--out", Path.Combine(dir, "m.csv"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("clamped to 5", r.Stdout + r.Stderr);
        Assert.Equal(1 + 3 * 5, File.ReadAllLines(Path.Combine(dir, "m.csv")).Length);
    }

    [Fact]
    public void ExactSearchRefusesAResultThatCannotBeHeldWithAClearError()
    {
        // the library keeps its contract (k above the gallery pads with -1); only the CLI clamps
        var data = Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i)).ToArray();
        var e = Assert.ThrowsAny<UsageException>(() => ExactSearch.Search(new InMemoryVectors(data, 4), new InMemoryVectors(data, 4), Similarity.InnerProduct, int.MaxValue));
        Assert.Contains("lower k", e.Message);
    }

    [Theory]
    [InlineData("--batch", "2147483647")]
    [InlineData("--chunk", "2147483647")]
    public void EmbedRefusesBatchAndChunkSizesBeyondTheirBoundsBeforeAnyWork(string option, string value)
    {
        var images = Fixtures.TempFolder();
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(images, "a.png"));
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var r = CliRunner.Run("embed", "--model", "pixels", "--images", images, "--out", outDir, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Stderr);
        Assert.False(File.Exists(Path.Combine(outDir, EmbeddingFiles.Metadata)), "no finished-looking output");
    }

    [Fact]
    public void ScanRefusesANaNThresholdBeforeAnyWork()
    {
        var images = Fixtures.TempFolder();
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(images, "a.png"));
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var r = CliRunner.Run("scan", "--generated", images, "--training", images, "--out", outDir, "--model", "pixels", "--threshold", "NaN");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--threshold", r.Stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void CountsAreBoundedBeforeAnyWorkAndSeedsAreNot()
    {
        // --per-variant 200000000 used to run out of memory; every count now has a bound, named in the message
        var huge = CliRunner.Run("prompts", "variants", "--base", "a cat", "--per-variant", "200000000", "--out", Path.Combine(Fixtures.TempFolder(), "v.csv"));
        Assert.Equal(2, huge.ExitCode);
        Assert.Contains("--per-variant must be a whole number from 1 to 1000000", huge.Stderr);
        var seed = CliRunner.Run("prompts", "variants", "--base", "a cat", "--phrases", "cat", "--per-variant", "2", "--seed", "2147483647", "--out", Path.Combine(Fixtures.TempFolder(), "v.csv"));
        Assert.True(seed.ExitCode == 0, seed.Stderr);
    }
}
