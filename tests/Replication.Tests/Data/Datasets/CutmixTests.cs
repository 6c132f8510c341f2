using System.Text.Json;
using Replication.Data.Datasets;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Data.Datasets;

/// <summary>Cutmix against fixtures/copies/cutmix.json: the official cutmix_alltypes logic with given draws (make_copy_fixtures.py).</summary>
public class CutmixTests
{
    private static Image<Rgb24> ToImage(JsonElement chw, int rows, int cols)
    {
        var img = new Image<Rgb24>(cols, rows);
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
                img[x, y] = new Rgb24((byte)chw[0][y][x].GetInt32(), (byte)chw[1][y][x].GetInt32(), (byte)chw[2][y][x].GetInt32());
        return img;
    }

    [Fact]
    public void BoxesAndCopiesMatchTheOfficialLogicForTheSameDraws()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("copies", "cutmix.json")));
        var root = doc.RootElement;
        int rows = root.GetProperty("rows").GetInt32(), cols = root.GetProperty("cols").GetInt32();
        var images = root.GetProperty("images").EnumerateArray().Select(e => ToImage(e, rows, cols)).ToList();
        int cases = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            double lambda = c.GetProperty("lambda").GetDouble(), fg = c.GetProperty("foreground_draw").GetDouble();
            var centres = c.GetProperty("centres").EnumerateArray().ToList();
            var boxes = c.GetProperty("boxes").EnumerateArray().ToList();
            var copies = c.GetProperty("copies").EnumerateArray().ToList();
            for (int i = 0; i < centres.Count; i++)
            {
                // copy i mixes the source (image 0) with donor image i + 1, as the identity permutation of the fixture does
                var draw = new CutmixDraw(lambda, fg, centres[i][0].GetInt32(), centres[i][1].GetInt32(), i + 1);
                var box = Cutmix.Box(draw, rows, cols);
                Assert.Equal(boxes[i].EnumerateArray().Select(v => v.GetInt32()).ToArray(), new[] { box.Top, box.Left, box.Bottom, box.Right });
                using var copy = Cutmix.Render(images[0], images[i + 1], draw);
                using var expected = ToImage(copies[i], rows, cols);
                for (int y = 0; y < rows; y++)
                    for (int x = 0; x < cols; x++)
                        Assert.Equal(expected[x, y], copy[x, y]);
                cases++;
            }
        }
        Assert.Equal(10, cases);
        images.ForEach(i => i.Dispose());
    }

    [Fact]
    public void BoxAreaFollowsLambdaAndTheForegroundCoinIsStrict()
    {
        // interior box: sides ⌊224·√(1−λ)⌋ rounded down to even, so area fraction ≈ 1 − λ
        var box = CutBox.FromDraw(224, 224, 0.75, 112, 112);
        Assert.Equal(new CutBox(56, 56, 168, 168), box);
        Assert.InRange(box.Area / (224.0 * 224), 0.25 - 0.01, 0.25);
        Assert.Equal(new CutBox(0, 0, 56, 56), CutBox.FromDraw(224, 224, 0.75, 0, 0)); // clipped at the corner
        Assert.False(new CutmixDraw(0.5, 0.5, 0, 0, 0).SourceIsForeground);
        Assert.True(new CutmixDraw(0.5, 0.5000001, 0, 0, 0).SourceIsForeground);
    }

    [Fact]
    public void DrawsShareLambdaAndForegroundAcrossTheCopiesOfASource()
    {
        var draws = Cutmix.Draw(new Random(4), 4, 30, 40, 3);
        Assert.Equal(4, draws.Count);
        Assert.Single(draws.Select(d => d.Lambda).Distinct());
        Assert.Single(draws.Select(d => d.ForegroundDraw).Distinct());
        Assert.All(draws, d => { Assert.InRange(d.CentreRow, 0, 29); Assert.InRange(d.CentreColumn, 0, 39); Assert.InRange(d.Donor, 0, 2); });
        // donors distinct within a round of the donor list, as the official batch permutation makes them
        Assert.Equal(3, draws.Take(3).Select(d => d.Donor).Distinct().Count());
        for (int seed = 0; seed < 50; seed++)
            Assert.Equal(4, Cutmix.Draw(new Random(seed), 4, 8, 8, 10).Select(d => d.Donor).Distinct().Count());
        // and uniform: each of 5 donors first equally often
        var first = Enumerable.Range(0, 5000).Select(s => Cutmix.Draw(new Random(s), 2, 8, 8, 5)[0].Donor).GroupBy(d => d).Select(g => g.Count()).ToList();
        Assert.All(first, n => Assert.InRange(n, 850, 1150));
        // λ ~ Beta(1, 1) is uniform; β = 2 concentrates it around 1/2
        var rng = new Random(1);
        var uniform = Enumerable.Range(0, 4000).Select(_ => Cutmix.Draw(rng, 1, 8, 8, 1)[0].Lambda).ToList();
        Assert.InRange(uniform.Average(), 0.47, 0.53);
        Assert.InRange(uniform.Count(l => l < 0.1) / 4000.0, 0.08, 0.12);
        var peaked = Enumerable.Range(0, 4000).Select(_ => Cutmix.Draw(rng, 1, 8, 8, 1, beta: 2)[0].Lambda).ToList();
        Assert.InRange(peaked.Count(l => l < 0.1) / 4000.0, 0.01, 0.05); // Beta(2,2): P(λ < 0.1) = 0.028
    }
}
