using Replication.Search.Approximate;
using Replication.Search;

namespace Replication.Tests.Search.Approximate;

public class RecallTests
{
    private static SearchResult Result(int k, params (long Id, float Score)[][] queries) =>
        new(queries.Length, k, queries.SelectMany(q => q.Select(m => m.Score)).ToArray(), queries.SelectMany(q => q.Select(m => m.Id)).ToArray());

    [Fact]
    public void CountsTheShareOfExactTopKFound()
    {
        var exact = Result(3, [(1, 0.9f), (2, 0.8f), (3, 0.7f)], [(4, 0.9f), (5, 0.8f), (6, 0.7f)]);
        // query 0: all three (another order); query 1: one of three, top-1 wrong
        var approx = Result(3, [(2, 0.8f), (1, 0.9f), (3, 0.7f)], [(5, 0.8f), (7, 0.5f), (8, 0.4f)]);
        Assert.Equal((1.0 + 1.0 / 3) / 2, Recall.At(approx, exact, 3), 12);
        Assert.Equal(0.0, Recall.At(approx, exact, 1), 12); // neither query's first is the exact best (ids 2 and 5, not 1 and 4)
    }

    [Fact]
    public void RecallAtOneIsTheShareOfRightBestMatches()
    {
        var exact = Result(1, [(1, 0.9f)], [(2, 0.9f)], [(3, 0.9f)], [(4, 0.9f)]);
        var approx = Result(1, [(1, 0.9f)], [(9, 0.5f)], [(3, 0.9f)], [(3, 0.2f)]);
        Assert.Equal(0.5, Recall.At(approx, exact, 1), 12);
    }

    [Fact]
    public void ATieWithTheExactKthScoreCounts()
    {
        // two exact duplicates (ids 1 and 7) score the same: either is a right best match
        var exact = Result(1, [(1, 0.95f)]);
        var approx = Result(1, [(7, 0.95f)]);
        Assert.Equal(1.0, Recall.At(approx, exact, 1), 12);
        var worse = Result(1, [(7, 0.94f)]);
        Assert.Equal(0.0, Recall.At(worse, exact, 1), 12);
    }

    [Fact]
    public void QueriesWithoutExactMatchesAreLeftOutAndShortGalleriesUseWhatWasFound()
    {
        // query 0 found nothing exactly (non-finite); query 1: the gallery has 2 rows for k = 3
        var exact = Result(3, [(-1, float.NaN), (-1, float.NaN), (-1, float.NaN)], [(4, 0.9f), (5, 0.8f), (-1, float.NaN)]);
        var approx = Result(3, [(-1, float.NaN), (-1, float.NaN), (-1, float.NaN)], [(5, 0.8f), (-1, float.NaN), (-1, float.NaN)]);
        Assert.Equal(0.5, Recall.At(approx, exact, 3), 12);
        Assert.True(double.IsNaN(Recall.At(Result(1, [(-1, float.NaN)]), Result(1, [(-1, float.NaN)]), 1)));
    }

    [Fact]
    public void RefusesDifferentQueriesOrTooFewColumns()
    {
        var exact = Result(1, [(1, 0.9f)]);
        Assert.Throws<ArgumentException>(() => Recall.At(Result(1, [(1, 0.9f)], [(2, 0.9f)]), exact, 1));
        Assert.Throws<ArgumentException>(() => Recall.At(exact, exact, 2));
    }
}
