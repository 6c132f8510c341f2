using Replication.Datasets;
using Replication.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Datasets;

public class SyntheticCopyGeneratorTests
{
    private static string Sources => Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");

    [Theory]
    [InlineData(SyntheticCopyKind.Cutmix)]
    [InlineData(SyntheticCopyKind.Segmix)]
    [InlineData(SyntheticCopyKind.DiagonalOutpaint)]
    [InlineData(SyntheticCopyKind.PatchOutpaint)]
    public void GeneratesDeterministicQueriesWithTheirSourceAsGroundTruth(SyntheticCopyKind kind)
    {
        var a = SyntheticCopyGenerator.Generate(kind, Sources, Path.Combine(Fixtures.TempFolder(), "a"), 4, seed: 3);
        var b = SyntheticCopyGenerator.Generate(kind, Sources, Path.Combine(Fixtures.TempFolder(), "b"), 4, seed: 3);
        Assert.Equal(4, a.Queries.Count);
        Assert.Equal(4, a.GroundTruth.Count);
        Assert.All(a.GroundTruth, t => Assert.Single(t.Ok));
        for (int q = 0; q < 4; q++)
        {
            Assert.Equal(File.ReadAllBytes(a.Queries[q].Path), File.ReadAllBytes(b.Queries[q].Path));
            Assert.Equal(a.GroundTruth[q].Ok, b.GroundTruth[q].Ok);
        }
        // gallery rows are the gallery's image order, which the ground truth indexes
        Assert.All(a.GroundTruth, t => Assert.InRange(t.Ok[0], 0, a.Gallery.Count - 1));
        var recipes = CsvTable.Read(Path.Combine(Path.GetDirectoryName(a.Queries[0].Path)!, "..", "queries.csv"));
        for (int q = 0; q < 4; q++)
            Assert.Equal(Path.GetFileName(a.Gallery[(int)a.GroundTruth[q].Ok[0]].Path), recipes.Cell(q, "source"));
    }

    [Fact]
    public void PatchOutpaintKeepsTheSourcePixelsInsideThePatchAndFillsTheRest()
    {
        var d = SyntheticCopyGenerator.Generate(SyntheticCopyKind.PatchOutpaint, Sources, Path.Combine(Fixtures.TempFolder(), "p"), 3, seed: 5);
        var recipes = CsvTable.Read(Path.Combine(Path.GetDirectoryName(d.Queries[0].Path)!, "..", "queries.csv"));
        for (int q = 0; q < 3; q++)
        {
            using var query = Image.Load<Rgb24>(d.Queries[q].Path);
            using var source = Image.Load<Rgb24>(d.Gallery[(int)d.GroundTruth[q].Ok[0]].Path);
            var m = System.Text.RegularExpressions.Regex.Match(recipes.Cell(q, "recipe")!, @"kept (\d+)px square at \((\d+),(\d+)\)");
            int side = int.Parse(m.Groups[1].Value), x0 = int.Parse(m.Groups[2].Value), y0 = int.Parse(m.Groups[3].Value);
            Assert.InRange(side * side, 0.15 * source.Width * source.Height, 0.21 * source.Width * source.Height + 2 * side);
            for (int y = y0; y < y0 + side; y += 7)
                for (int x = x0; x < x0 + side; x += 7)
                    Assert.Equal(source[x, y], query[x, y]);
        }
    }

    [Fact]
    public void HarmonicFillInterpolatesSmoothlyBetweenKnownBorders()
    {
        // left column 0, right column 200, unknown in between: the harmonic solution is a linear ramp
        int w = 11, h = 5;
        var values = new float[w * h];
        var known = new bool[w * h];
        for (int y = 0; y < h; y++) { known[y * w] = true; known[y * w + w - 1] = true; values[y * w + w - 1] = 200; }
        var solved = HarmonicFill.Solve(values, known, w, h);
        for (int x = 0; x < w; x++) Assert.Equal(20.0 * x, solved[2 * w + x], 0);
    }

    [Fact]
    public void GroundTruthThatNamesMissingRowsIsRejected()
    {
        var d = SyntheticCopyGenerator.Generate(SyntheticCopyKind.Cutmix, Sources, Path.Combine(Fixtures.TempFolder(), "c"), 2, seed: 1);
        var folder = Path.GetDirectoryName(Path.GetDirectoryName(d.Queries[0].Path))!;
        Replication.Retrieval.GroundTruthFile.Write(Path.Combine(folder, "gt.json"), [new(0, [999], [])]);
        Assert.Contains("gallery row 999", Assert.Throws<InvalidDataException>(() => CopyDatasetFolder.Open(folder)).Message);
    }
}
