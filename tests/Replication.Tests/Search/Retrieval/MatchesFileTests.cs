using Replication.Search.Retrieval;

namespace Replication.Tests.Search.Retrieval;

/// <summary>Hostile matches CSV files: culture-invariant numbers and one InputDataException naming the file, the line and the field.</summary>
public class MatchesFileTests
{
    private static string Write(string csv)
    {
        var path = Path.Combine(Fixtures.TempFolder(), "matches.csv");
        File.WriteAllText(path, csv);
        return path;
    }

    [Theory]
    [InlineData("query,rank,gallery,score\n0,0,1,\"0,9\"\n", "line 2", "score")]
    [InlineData("query,rank,gallery,score\n0,0,1,\"1,000\"\n", "line 2", "score")]
    [InlineData("query,rank,gallery,score\n", "matches.csv", "no matches")]
    [InlineData("query,rank,gallery,score\n0,0,1,0.9\n0,0,2,0.8\n", "line 3", "rank")]
    [InlineData("query,rank,gallery,score\n-1,0,1,0.9\n", "line 2", "query")]
    [InlineData("query,rank,gallery,score\n0,0,-5,0.9\n", "line 2", "gallery")]
    [InlineData("query,rank,gallery,score\n0,-1,5,0.9\n", "line 2", "rank")]
    [InlineData("query,rank,gallery,score\n99999999999,0,1,0.9\n", "line 2", "query")]
    [InlineData("query,rank,gallery,score\n0,0,99999999999999999999,0.9\n", "line 2", "gallery")]
    [InlineData("query,rank,gallery,score\n0,0,1,NaN\n", "line 2", "score")]
    [InlineData("query,rank,gallery,score\n0,0,1,\n", "line 2", "score")]
    public void HostileMatchesAreOneClearError(string csv, string where, string what)
    {
        var path = Write(csv);
        var e = Assert.Throws<InputDataException>(() => MatchesFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void ValidMatchesReadInRankOrder()
    {
        var lists = MatchesFile.Read(Write("query,rank,gallery,score\n1,1,7,0.25\n1,0,3,1e-1\n0,0,2,-0.5\n"));
        Assert.Equal([0, 1], lists.Select(l => l.Query));
        Assert.Equal([3L, 7L], lists[1].Gallery);
        Assert.Equal([0.1f, 0.25f], lists[1].Scores);
    }
}
