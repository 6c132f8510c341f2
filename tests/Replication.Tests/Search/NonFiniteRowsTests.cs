using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;
using Replication.Core.Formats;

namespace Replication.Tests.Search;

/// <summary>Rows holding NaN or ±Inf are found, named and left out: they never change the results of other queries.</summary>
public class NonFiniteRowsTests
{
    private const int Dim = 16;

    private static float[] RandomRows(int rows, int seed)
    {
        var rng = new Random(seed);
        var data = new float[rows * Dim];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }

    /// <summary>8 gallery rows with a NaN row (index 3) and an Inf row (index 6) among them; the queries are exact copies of the 6 finite ones.</summary>
    internal static (float[] Queries, float[] Gallery, int[] CopyOf) ExactCopiesAmongPoisonedRows()
    {
        var gallery = RandomRows(8, 1);
        gallery[3 * Dim + 5] = float.NaN;
        gallery[6 * Dim] = float.PositiveInfinity;
        int[] copyOf = [0, 1, 2, 4, 5, 7];
        var queries = copyOf.SelectMany(g => gallery.AsSpan(g * Dim, Dim).ToArray()).ToArray();
        return (queries, gallery, copyOf);
    }

    [Theory]
    [InlineData("ip", 1)]
    [InlineData("split", 4)]
    [InlineData("split-cos", 4)]
    public void NonFiniteGalleryRowsDoNotChangeOtherQueriesResults(string metric, int chunks)
    {
        var (queries, gallery, copyOf) = ExactCopiesAmongPoisonedRows();
        foreach (int k in new[] { 1, 8 })
        {
            var result = ExactSearch.Search(new InMemoryVectors(queries, Dim), new InMemoryVectors(gallery, Dim), Similarity.Parse(metric, chunks), k);
            for (int q = 0; q < copyOf.Length; q++)
            {
                Assert.Equal(copyOf[q], result.IndicesOf(q)[0]);
                Assert.DoesNotContain(3L, result.IndicesOf(q).ToArray());
                Assert.DoesNotContain(6L, result.IndicesOf(q).ToArray());
                foreach (var s in result.ScoresOf(q)[..Math.Min(k, 6)]) Assert.True(float.IsFinite(s));
            }
        }
    }

    [Fact]
    public void ANonFiniteQueryGetsNoMatchesAndOthersAreUnchanged()
    {
        var (queries, gallery, copyOf) = ExactCopiesAmongPoisonedRows();
        queries[2 * Dim + 1] = float.NegativeInfinity;
        var result = ExactSearch.Search(new InMemoryVectors(queries, Dim), new InMemoryVectors(gallery, Dim), Similarity.Parse("ip", 1), 2);
        Assert.All(result.IndicesOf(2).ToArray(), i => Assert.Equal(-1L, i));
        foreach (int q in new[] { 0, 1, 3, 4, 5 }) Assert.Equal(copyOf[q], result.IndicesOf(q)[0]);
    }

    [Fact]
    public void StrictRefusesNonFiniteRowsNamingThem()
    {
        var (queries, gallery, _) = ExactCopiesAmongPoisonedRows();
        var e = Assert.Throws<InputDataException>(() => ExactSearch.Search(new InMemoryVectors(queries, Dim), new InMemoryVectors(gallery, Dim, "g.npy"),
            Similarity.Parse("ip", 1), 1, strict: true));
        Assert.Contains("g.npy", e.Message);
        Assert.Contains("rows 3, 6", e.Message);
        var lenient = ExactSearch.Search(new InMemoryVectors(queries, Dim), new InMemoryVectors(gallery, Dim), Similarity.Parse("ip", 1), 1);
        Assert.Equal([3L, 6L], lenient.NonFiniteGallery);
        Assert.Empty(lenient.NonFiniteQueries);
    }

    [Fact]
    public void SearchCommandNamesNonFiniteRowsAndStrictMakesThemAnError()
    {
        var (queries, gallery, copyOf) = ExactCopiesAmongPoisonedRows();
        var dir = Fixtures.TempFolder();
        foreach (var (name, data) in new[] { ("q.npy", queries), ("g.npy", gallery) })
            using (var w = new NpyWriter(Path.Combine(dir, name), Dim)) { w.WriteRows(data); w.Commit(); }
        string[] args = ["search", "--queries", Path.Combine(dir, "q.npy"), "--gallery", Path.Combine(dir, "g.npy"), "--k", "1", "--out", Path.Combine(dir, "m.csv")];
        var ok = Cli.CliRunner.Run(args);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("rows 3, 6", ok.Stderr);
        var lines = File.ReadAllLines(Path.Combine(dir, "m.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(copyOf.Select(g => g.ToString()), lines.Select(l => l[2]));
        var strict = Cli.CliRunner.Run([.. args, "--strict"]);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("NaN or infinite", strict.Stderr);
    }
}
