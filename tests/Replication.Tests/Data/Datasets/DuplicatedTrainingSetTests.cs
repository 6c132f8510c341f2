using Replication.Data.Datasets;
using Replication.Images;

namespace Replication.Tests.Data.Datasets;

public class DuplicatedTrainingSetTests
{
    private static string BaseManifest(string dir, int n)
    {
        var clipart = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(n).ToArray();
        string path = Path.Combine(dir, "base.csv");
        File.WriteAllLines(path, ["path,id,label", .. clipart.Select((f, i) => $"{f},img{i:D2},c{i % 3}")]);
        return path;
    }

    [Fact]
    public void ChosenImagesAppearAsOftenAsTheirLevelSaysWithTheirBaseIdAsCaption()
    {
        var dir = Fixtures.TempFolder();
        string b = BaseManifest(dir, 8);
        var (manifest, copiesPath, rows) = DuplicatedTrainingSet.Write(b, new DuplicationPlan { Levels = [2, 3], PerLevel = 2, Seed = 5 }, Path.Combine(dir, "out", "dup.csv"));
        Assert.Equal(8 + 2 * 1 + 2 * 2, rows);
        var copies = DuplicatedTrainingSet.ReadCopies(copiesPath);
        Assert.Equal(8, copies.Count);
        Assert.Equal([1, 1, 1, 1, 2, 2, 3, 3], copies.Values.Order());
        var images = ImageCollection.FromManifest(manifest);
        Assert.Equal(rows, images.Count);
        Assert.Equal(images.Count, images.Select(r => r.Id).Distinct().Count()); // every row its own training image
        foreach (var (id, n) in copies)
        {
            var mine = images.Where(r => r.Caption == id).ToList();
            Assert.Equal(n, mine.Count);
            Assert.Single(mine.Select(r => r.Path).Distinct()); // exact copies: the same file
            Assert.Contains(mine, r => r.Id == id);
        }
        Assert.True(File.Exists(Path.Combine(dir, "out", "dup.json")));
        // the choice is the seed's: the same seed chooses the same images
        var again = DuplicatedTrainingSet.Copies(ImageCollection.FromManifest(b), new DuplicationPlan { Levels = [2, 3], PerLevel = 2, Seed = 5 });
        Assert.Equal(copies.OrderBy(kv => kv.Key).Select(kv => kv.Value), again.OrderBy(c => c.Image.Id).Select(c => c.Copies));
    }

    [Fact]
    public void AnExplicitSpecNamingAnImageNotInTheBaseIsRefusedNamingIt()
    {
        var dir = Fixtures.TempFolder();
        string b = BaseManifest(dir, 4);
        var spec = Path.Combine(dir, "spec.csv");
        File.WriteAllLines(spec, ["id,copies", "img01,5", "ghost,4"]);
        var e = Assert.Throws<ParameterException>(() => DuplicatedTrainingSet.Write(b, new DuplicationPlan { Explicit = DuplicatedTrainingSet.ReadSpec(spec) }, Path.Combine(dir, "d.csv")));
        Assert.Equal("ghost", e.Value);
        Assert.Contains("is not an image of", e.Message);
        File.WriteAllLines(spec, ["id,copies", "img01,5"]);
        var (_, copies, rows) = DuplicatedTrainingSet.Write(b, new DuplicationPlan { Explicit = DuplicatedTrainingSet.ReadSpec(spec) }, Path.Combine(dir, "d.csv"));
        Assert.Equal(8, rows);
        Assert.Equal(5, DuplicatedTrainingSet.ReadCopies(copies)["img01"]);
        File.WriteAllLines(spec, ["id,copies", "img01,many"]);
        Assert.Contains("whole number", Assert.Throws<InputDataException>(() => DuplicatedTrainingSet.ReadSpec(spec)).Message);
    }

    [Fact]
    public void PlansThatCannotBeMetAreRefusedBeforeAnythingIsWritten()
    {
        var dir = Fixtures.TempFolder();
        string b = BaseManifest(dir, 4);
        string out1 = Path.Combine(dir, "x.csv");
        Assert.Equal("PerLevel", Assert.Throws<ParameterException>(() => DuplicatedTrainingSet.Write(b, new DuplicationPlan { Levels = [2, 4], PerLevel = 3 }, out1)).Parameter);
        Assert.Equal("Levels", Assert.Throws<ParameterException>(() => DuplicatedTrainingSet.Write(b, new DuplicationPlan { Levels = [1] }, out1)).Parameter);
        Assert.Equal("Levels", Assert.Throws<ParameterException>(() => DuplicatedTrainingSet.Write(b, new DuplicationPlan { Levels = [4, 4] }, out1)).Parameter);
        Assert.False(File.Exists(out1));
    }
}
