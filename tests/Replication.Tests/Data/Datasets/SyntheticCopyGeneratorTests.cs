using Replication.Data.Datasets;
using Replication.Core.Formats;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Data.Datasets;

public class SyntheticCopyGeneratorTests
{
    private static string Sources => Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");

    [Theory]
    [InlineData(SyntheticCopyKind.Cutmix)]
    [InlineData(SyntheticCopyKind.Segmix)]
    [InlineData(SyntheticCopyKind.DiagonalOutpaint)]
    [InlineData(SyntheticCopyKind.PatchOutpaint)]
    [InlineData(SyntheticCopyKind.SquarePaste)]
    public void SourcesAreQueriesAndTheirFourCopiesAreTheirPositives(SyntheticCopyKind kind)
    {
        var a = SyntheticCopyGenerator.Generate(kind, Sources, Path.Combine(Fixtures.TempFolder(), "a"), 3, seed: 3);
        var b = SyntheticCopyGenerator.Generate(kind, Sources, Path.Combine(Fixtures.TempFolder(), "b"), 3, seed: 3);
        Assert.Equal(3, a.Queries.Count);
        Assert.Equal(12, a.Gallery.Count);
        for (int q = 0; q < 3; q++)
        {
            Assert.Equal(new long[] { 4 * q, 4 * q + 1, 4 * q + 2, 4 * q + 3 }, a.GroundTruth[q].Ok);
            Assert.Equal(File.ReadAllBytes(a.Queries[q].Path), File.ReadAllBytes(b.Queries[q].Path));
        }
        for (int g = 0; g < 12; g++)
            Assert.Equal(File.ReadAllBytes(a.Gallery[g].Path), File.ReadAllBytes(b.Gallery[g].Path));
        var log = CsvTable.Read(Path.Combine(Path.GetDirectoryName(a.Queries[0].Path)!, "..", "copies.csv"));
        for (int g = 0; g < 12; g++)
        {
            Assert.Equal(Path.GetFileName(a.Gallery[g].Path), log.Cell(g, "gallery"));
            Assert.Equal(Path.GetFileName(a.Queries[g / 4].Path), log.Cell(g, "query"));
        }
        // copies keep their source's size, and are not the source itself
        for (int g = 0; g < 12; g++)
        {
            using var copy = Image.Load<Rgb24>(a.Gallery[g].Path);
            using var source = Image.Load<Rgb24>(a.Queries[g / 4].Path);
            if (kind != SyntheticCopyKind.SquarePaste) Assert.Equal((source.Width, source.Height), (copy.Width, copy.Height));
            Assert.NotEqual(File.ReadAllBytes(a.Queries[g / 4].Path), File.ReadAllBytes(a.Gallery[g].Path));
        }
    }

    [Fact]
    public void CutmixCopiesHoldTheSourceBoxOrTheSourceAroundTheDonorBox()
    {
        var d = SyntheticCopyGenerator.Generate(SyntheticCopyKind.Cutmix, Sources, Path.Combine(Fixtures.TempFolder(), "cm"), 4, seed: 6);
        var log = CsvTable.Read(Path.Combine(Path.GetDirectoryName(d.Queries[0].Path)!, "..", "copies.csv"));
        int patches = 0, backgrounds = 0;
        for (int g = 0; g < d.Gallery.Count; g++)
        {
            using var copy = Image.Load<Rgb24>(d.Gallery[g].Path);
            using var source = Image.Load<Rgb24>(d.Queries[g / 4].Path);
            var m = System.Text.RegularExpressions.Regex.Match(log.Cell(g, "recipe")!, @"source is the (\w+); rows (\d+)–(\d+), columns (\d+)–(\d+)");
            Assert.True(m.Success, log.Cell(g, "recipe"));
            bool sourceIsPatch = m.Groups[1].Value == "patch";
            int top = int.Parse(m.Groups[2].Value), bottom = int.Parse(m.Groups[3].Value), left = int.Parse(m.Groups[4].Value), right = int.Parse(m.Groups[5].Value);
            if (sourceIsPatch) patches++; else backgrounds++;
            for (int y = 0; y < source.Height; y++)
                for (int x = 0; x < source.Width; x++)
                {
                    bool inside = y >= top && y < bottom && x >= left && x < right;
                    if (inside == sourceIsPatch) Assert.Equal(source[x, y], copy[x, y]);
                }
        }
        Assert.Equal(16, patches + backgrounds);
        Assert.True(patches % 4 == 0 && backgrounds % 4 == 0, "the foreground coin is shared by the copies of one source");
    }

    [Fact]
    public void PatchOutpaintKeepsTheSourcePixelsInsideThePatchAndFillsTheRest()
    {
        var d = SyntheticCopyGenerator.Generate(SyntheticCopyKind.PatchOutpaint, Sources, Path.Combine(Fixtures.TempFolder(), "p"), 2, seed: 5);
        var recipes = CsvTable.Read(Path.Combine(Path.GetDirectoryName(d.Queries[0].Path)!, "..", "copies.csv"));
        for (int g = 0; g < d.Gallery.Count; g++)
        {
            using var copy = Image.Load<Rgb24>(d.Gallery[g].Path);
            using var source = Image.Load<Rgb24>(d.Queries[g / 4].Path);
            var m = System.Text.RegularExpressions.Regex.Match(recipes.Cell(g, "recipe")!, @"kept (\d+)px square at \((\d+),(\d+)\)");
            int side = int.Parse(m.Groups[1].Value), x0 = int.Parse(m.Groups[2].Value), y0 = int.Parse(m.Groups[3].Value);
            Assert.InRange(side * side, 0.15 * source.Width * source.Height, 0.21 * source.Width * source.Height + 2 * side);
            for (int y = y0; y < y0 + side; y += 7)
                for (int x = x0; x < x0 + side; x += 7)
                    Assert.Equal(source[x, y], copy[x, y]);
        }
    }

    [Fact]
    public void QueriesAreCappedByTheSourcesOutsideTheDonors()
    {
        // a third of the sources are donors, the rest at most queries
        int n = Directory.EnumerateFiles(Sources, "*.png", SearchOption.AllDirectories).Count();
        var d = SyntheticCopyGenerator.Generate(SyntheticCopyKind.Cutmix, Sources, Path.Combine(Fixtures.TempFolder(), "x"), 500, copiesPerSource: 1);
        Assert.Equal(n - n / 3, d.Queries.Count);
        Assert.Equal(d.Queries.Count, d.Gallery.Count);
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
        var d = SyntheticCopyGenerator.Generate(SyntheticCopyKind.Cutmix, Sources, Path.Combine(Fixtures.TempFolder(), "c"), 1, seed: 1);
        var folder = Path.GetDirectoryName(Path.GetDirectoryName(d.Queries[0].Path))!;
        Replication.Search.Retrieval.GroundTruthFile.Write(Path.Combine(folder, "gt.json"), [new(0, [999], [])]);
        Assert.Contains("gallery row 999", Assert.Throws<InputDataException>(() => CopyDatasetFolder.Open(folder)).Message);
    }
}
