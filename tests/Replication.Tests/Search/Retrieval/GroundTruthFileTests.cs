using Replication.Search.Retrieval;

namespace Replication.Tests.Search.Retrieval;

/// <summary>Hostile gt.json files: one InputDataException naming the file, the entry and the field.</summary>
public class GroundTruthFileTests
{
    private static string Write(string json)
    {
        var path = Path.Combine(Fixtures.TempFolder(), "gt.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("[null]", "entry 1", "null")]
    [InlineData("[{\"query\": 0, \"ok\": [], \"junk\": []}, {\"query\": 99999999999, \"ok\": [], \"junk\": []}]", "entry 2", "'query'")]
    [InlineData("[{\"ok\": [1], \"junk\": []}]", "entry 1", "'query'")]
    [InlineData("[{\"query\": -1, \"ok\": [1], \"junk\": []}]", "entry 1", "negative")]
    [InlineData("[{\"query\": 0, \"ok\": [-3], \"junk\": []}]", "entry 1", "'ok'")]
    [InlineData("[{\"query\": 0, \"ok\": [99999999999999999999], \"junk\": []}]", "entry 1", "'ok'")]
    [InlineData("[{\"query\": \"0\", \"ok\": [1], \"junk\": []}]", "entry 1", "'query'")]
    [InlineData("[{\"query\": 0.5, \"ok\": [1], \"junk\": []}]", "entry 1", "'query'")]
    [InlineData("[{\"query\": 0, \"ok\": [1, null], \"junk\": []}]", "entry 1", "'ok'")]
    [InlineData("[{\"query\": 0, \"ok\": null, \"junk\": []}]", "entry 1", "'ok'")]
    [InlineData("{\"query\": 0}", "list", "[")]
    [InlineData("[{\"query\": 0, \"ok\": [1], \"junk\": []}] trailing", "gt.json", "not")]
    [InlineData("[{\"query\": 0, \"ok\": [3, 1, 3], \"junk\": []}]", "entry 1", "lists gallery row 3 twice (items 1 and 3)")] // the official AP would count it twice
    [InlineData("[{\"query\": 0, \"ok\": [1], \"junk\": [2, 2]}]", "entry 1", "'junk' lists gallery row 2 twice")]
    [InlineData("[{\"query\": 5, \"ok\": [1, 2], \"junk\": [2]}]", "entry 1", "row 2 is both 'ok' and 'junk' for query 5")]
    public void HostileGroundTruthIsOneClearError(string json, string where, string what)
    {
        var path = Write(json);
        var e = Assert.Throws<InputDataException>(() => GroundTruthFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void AValidFileStillReads()
    {
        var gt = GroundTruthFile.Read(Write("[{\"query\": 1, \"ok\": [2, 3], \"junk\": [4]}, {\"query\": 0, \"ok\": [], \"junk\": []}]"));
        Assert.Equal(2, gt.Count);
        Assert.Equal([2L, 3L], gt[0].Ok);
        Assert.Equal([4L], gt[0].Junk);
    }
}
