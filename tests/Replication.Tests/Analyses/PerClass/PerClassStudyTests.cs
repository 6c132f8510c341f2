using Replication.Reporting.Metrics;
using Replication.Analyses.PerClass;
using Replication.Core.Vectors;

namespace Replication.Tests.Analyses.PerClass;

public class PerClassStudyTests
{
    private static string[] Clipart(string category) =>
        Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), category + "-*.png").Order(StringComparer.Ordinal).ToArray();

    private static void Put(string folder, string cls, string file, string? name = null)
    {
        Directory.CreateDirectory(Path.Combine(folder, cls));
        File.Copy(file, Path.Combine(folder, cls, name ?? Path.GetFileName(file)));
    }

    [Fact]
    public void ScoresEachClassWithinItselfAndListsTheClassesItCannotScore()
    {
        var dir = Fixtures.TempFolder();
        string train = Path.Combine(dir, "train"), gen = Path.Combine(dir, "gen");
        foreach (var c in new[] { "animals", "food", "tools", "buildings" })
            foreach (var f in Clipart(c).Take(5)) Put(train, c, f);
        Put(train, "electronics", Clipart("electronics")[0]);
        Put(gen, "animals", Clipart("animals")[1], "g1.png");          // an exact copy of a training image of its class
        Put(gen, "animals", Clipart("plants")[0], "g2.png");
        Put(gen, "food", Clipart("plants")[1], "g1.png");
        Put(gen, "tools", Clipart("transportation")[0], "g1.png");
        Put(gen, "tools", Clipart("transportation")[1], "g2.png");
        Put(gen, "electronics", Clipart("electronics")[1], "g1.png");   // only 1 training image: no self-similarity
        Put(gen, "ghosts", Clipart("recreation")[0], "g1.png");         // not a training class

        var r = PerClassStudy.Run(new ClassStudyOptions { Generated = gen, Training = train, WorkFolder = Path.Combine(dir, "work"), Model = "pixels", BootstrapSamples = 200 });
        Assert.Equal(["animals", "food", "tools"], r.Rows.Select(c => c.Class));
        Assert.Equal(1.0, r.Rows[0].MaxGeneratedTop1, 1e-5);
        Assert.Equal("g1.png", Path.GetFileName(r.Rows[0].BestGeneration.Path));
        Assert.Equal(Path.GetFileName(Clipart("animals")[1]), Path.GetFileName(r.Rows[0].BestMatch.Path));
        Assert.All(r.Rows.Skip(1), c => Assert.True(c.MaxGeneratedTop1 < 0.99));
        Assert.Equal(5, r.Rows[0].Training);
        Assert.Equal(new[] { ("buildings", "no generations"), ("electronics", "1 training image, fewer than the study's minimum of 5"), ("ghosts", "not a training class (no training images)") },
            r.Excluded.ToArray());
        Assert.Equal(5, r.PooledGenerated.Length);
        Assert.Equal(15, r.PooledTraining.Length);
        Assert.InRange(r.NearestInOwnClass, 0, 1);
        Assert.Equal(5, r.OwnClass.Total); // the scored classes' generations
        Assert.Equal((2.0 / 5 + 1.0 / 5 + 2.0 / 5) / 3, r.OwnClassChance, 12); // 5 training images in each of the 3 scored classes
        Assert.Equal(3, r.LeaveOneOut.Count);
        Assert.All(r.LeaveOneOut, v => Assert.Equal(1, Math.Abs(v), 9)); // 2 points left: r is ±1
        Assert.InRange(r.PermutationP, 0, 1);
        Assert.False(r.Verdict().Reproduced);
        Assert.Equal(Correlation.Pearson(r.Rows.Select(c => c.MaxGeneratedTop1).ToArray(), r.Rows.Select(c => c.MeanTrainingSelfTop1).ToArray()), r.Correlation.R);
        var reading = ClassCharts.Reading(r);
        Assert.Contains("Not scored: buildings (no generations)", reading);
        Assert.StartsWith("Not reproduced: ", reading);
        Assert.Contains("chance", reading);

        var unknown = Assert.Throws<Replication.ParameterException>(() => PerClassStudy.Run(new ClassStudyOptions
            { Generated = gen, Training = train, WorkFolder = Path.Combine(dir, "work"), Model = "pixels", Classes = ["animals", "dragons"] }));
        Assert.Equal(("Classes", "dragons"), (unknown.Parameter, unknown.Value));
        var two = PerClassStudy.Run(new ClassStudyOptions
            { Generated = gen, Training = train, WorkFolder = Path.Combine(dir, "work"), Model = "pixels", Classes = ["animals", "tools"], BootstrapSamples = 50, Permutations = 50 });
        Assert.Equal(["animals", "tools"], two.Rows.Select(c => c.Class));
        Assert.Empty(two.Excluded);
        Assert.Contains("little power", reading);
        Assert.Contains("<svg", ClassCharts.HistogramSvg(r));
        Assert.Equal(3, ClassCharts.ScatterSpec(r).Series[0].X.Length);
        Assert.Equal(r.Rows.Select(c => c.MeanTrainingSelfTop1), ClassCharts.ScatterSpec(r, swapped: true).Series[0].X);
    }

    [Fact]
    public void PearsonAndItsBootstrapIntervalBehave()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8], y = [2, 4.1, 5.9, 8.2, 9.9, 12.1, 13.8, 16.2];
        double r = Correlation.Pearson(x, y);
        Assert.InRange(r, 0.99, 1);
        var (low, high) = Correlation.BootstrapInterval(x, y, 500, seed: 3);
        Assert.True(low <= r && r <= high && high <= 1);
        Assert.Equal((low, high), Correlation.BootstrapInterval(x, y, 500, seed: 3));
        Assert.True(double.IsNaN(Correlation.Pearson([1, 1, 1], [1, 2, 3])));
        Assert.Equal(-1, Correlation.Pearson([1, 2, 3], [3, 2, 1]), 12);
    }

    [Fact]
    public void RowSubsetReadsTheChosenRowsInOrder()
    {
        var source = new InMemoryVectors(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 2);
        var subset = new RowSubset(source, [4, 5, 1]);
        var buffer = new float[6];
        subset.ReadRows(0, 3, buffer);
        Assert.Equal([8f, 9, 10, 11, 2, 3], buffer);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowSubset(source, [6]));
    }
}
