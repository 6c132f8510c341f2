using Replication.Search;
using Replication.Storage;

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
}
