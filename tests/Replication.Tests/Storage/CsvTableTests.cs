using Replication.Storage;

namespace Replication.Tests.Storage;

public class CsvTableTests
{
    [Fact]
    public void ParsesQuotedFieldsWithCommasQuotesAndNewlines()
    {
        var rows = CsvTable.Parse("path,caption\r\na.png,\"a cat, \"\"sitting\"\"\non a mat\"\nb.png,\n", "x.csv");
        Assert.Equal(3, rows.Count);
        Assert.Equal("a cat, \"sitting\"\non a mat", rows[1][1]);
        Assert.Equal(["b.png", ""], rows[2]);
    }

    [Fact]
    public void LineQuotesOnlyWhatNeedsIt()
    {
        Assert.Equal("1,a,\"b,c\",\"d\"\"e\",0.5", CsvTable.Line(1, "a", "b,c", "d\"e", 0.5f));
    }

    [Fact]
    public void UnterminatedQuoteNamesTheFileAndLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("path\n\"oops\n", "m.csv"));
        Assert.Contains("m.csv", e.Message);
        Assert.Contains("line 2", e.Message);
    }
}
