using Replication.Core;
using Replication.Data.Datasets;
using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Data.Datasets;

public class NestedSubsetsTests
{
    [Fact]
    public void SeededPermutationIsAPermutationFixedAcrossMachines()
    {
        var p = SeededPermutation.Create(1000, 42);
        Assert.Equal(Enumerable.Range(0, 1000), p.Order());
        Assert.Equal(p, SeededPermutation.Create(1000, 42));
        Assert.NotEqual(p, SeededPermutation.Create(1000, 43));
        // pinned: SplitMix64 (seed 42) driving Fisher–Yates with rejection; a change here changes every committed subset
        Assert.Equal([0, 9, 5, 8, 6, 4, 7, 2, 1, 3], SeededPermutation.Create(10, 42)); // the same from an independent Python transcription
    }

    private static string Png(string folder, string name, Func<int, int, Rgb24> pixel)
    {
        using var image = new Image<Rgb24>(24, 24);
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 24; x++)
                image[x, y] = pixel(x, y);
        var path = Path.Combine(folder, name);
        image.SaveAsPng(path);
        return path;
    }

    [Fact]
    public void SubsetsAreNestedPrefixesWithoutNearOrExactDuplicates()
    {
        var dir = Fixtures.TempFolder();
        var records = new List<ImageRecord>();
        for (int i = 0; i < 12; i++)
        {
            int k = i;
            var path = Png(dir, $"img{i:D2}.png", (x, y) => new Rgb24((byte)((x * (k + 3) * 37 + y * 11 * (k + 1)) % 256), (byte)((y * (k + 5) * 13) % 256), (byte)((x * y * (k + 2)) % 256)));
            records.Add(new ImageRecord($"img{i:D2}.png", path, $"img{i:D2}.png"));
        }
        // a brighter copy of img00 (correlation ≈ 1) and a byte-identical copy of img01
        var src = Image.Load<Rgb24>(records[0].Path);
        var bright = Png(dir, "bright.png", (x, y) => { var p = src[x, y]; return new Rgb24((byte)Math.Min(255, p.R / 2 + 60), (byte)Math.Min(255, p.G / 2 + 60), (byte)Math.Min(255, p.B / 2 + 60)); });
        records.Add(new ImageRecord("bright.png", bright, "bright.png"));
        File.Copy(records[1].Path, Path.Combine(dir, "same.png"));
        records.Add(new ImageRecord("same.png", Path.Combine(dir, "same.png"), "same.png"));

        var plan = NestedSubsets.Build(records, [3, 12], seed: 1);
        Assert.Equal(12, plan.Order.Count);
        Assert.Equal(plan.Order.Take(3), plan.Subset(3));
        Assert.Equal(2, plan.Dropped.Count);
        var kept = plan.Order.Select(r => r.Id).ToHashSet();
        Assert.False(kept.Contains("img00.png") && kept.Contains("bright.png"));
        Assert.False(kept.Contains("img01.png") && kept.Contains("same.png"));
        Assert.Contains(plan.Dropped, d => d.Reason.StartsWith("near-duplicate of", StringComparison.Ordinal));
        Assert.Contains(plan.Dropped, d => d.Reason.StartsWith("byte-identical to", StringComparison.Ordinal));

        var outDir = Path.Combine(dir, "subsets");
        NestedSubsets.Write(plan, outDir, dir);
        var small = ImageCollection.FromManifest(Path.Combine(outDir, "subset-3.csv"));
        var large = ImageCollection.FromManifest(Path.Combine(outDir, "subset-12.csv"));
        // manifests are read in path order; the subsets are nested as sets
        Assert.Subset(large.Select(r => r.Path).ToHashSet(), small.Select(r => r.Path).ToHashSet());
        Assert.Equal(plan.Subset(3).Select(r => r.Path).Order(), small.Select(r => r.Path).Order());
        Assert.Equal(plan.Order.Select(r => r.Path).Order(), large.Select(r => r.Path).Order());

        var tooMany = Assert.Throws<InputDataException>(() => NestedSubsets.Build(records, [13], seed: 1));
        Assert.Contains("only 12 usable distinct images", tooMany.Message);
    }
}

public class LabelledSubsetsTests
{
    [Fact]
    public void ChoosesSeededClassesWithEnoughDistinctImagesAndLabelsThemByFolder()
    {
        var clipart = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart");
        var dir = Fixtures.TempFolder();
        foreach (var f in Directory.GetFiles(clipart, "*.png"))
        {
            string cls = Path.GetFileName(f).Split('-')[0];
            Directory.CreateDirectory(Path.Combine(dir, cls));
            File.Copy(f, Path.Combine(dir, cls, Path.GetFileName(f)));
        }
        var pool = ImageCollection.FromFolder(dir);
        var plan = LabelledSubsets.Build(pool, classes: 3, perClass: 6, seed: 2);
        Assert.Equal(18, plan.Order.Count);
        Assert.Equal(3, plan.Order.Select(r => r.Label).Distinct().Count());
        Assert.All(plan.Order.GroupBy(r => r.Label), g => Assert.Equal(6, g.Count()));
        Assert.All(plan.Order, r => Assert.StartsWith(r.Label + "/", r.Id, StringComparison.Ordinal));
        Assert.Equal(plan.Order.Select(r => r.Id), LabelledSubsets.Build(pool, 3, 6, seed: 2).Order.Select(r => r.Id));
        var e = Assert.Throws<InputDataException>(() => LabelledSubsets.Build(pool, classes: 9, perClass: 6, seed: 2));
        Assert.Contains("only 8 classes", e.Message);

        var written = NestedSubsets.Write(plan, Path.Combine(dir, "out"), dir, "classes3x6");
        var manifest = ImageCollection.FromManifest(written[0]);
        Assert.Equal(plan.Order.Select(r => (r.Path, r.Label)).Order(), manifest.Select(r => (r.Path, r.Label)).Order());
    }
}
