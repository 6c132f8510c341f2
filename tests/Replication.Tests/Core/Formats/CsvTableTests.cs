using Replication.Core.Formats;

namespace Replication.Tests.Core.Formats;

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
        var e = Assert.Throws<InputDataException>(() => CsvTable.Parse("path\n\"oops\n", "m.csv"));
        Assert.Contains("m.csv", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreAnErrorNamingTheLineNotReplacementCharacters()
    {
        var path = Path.Combine(Fixtures.TempFolder(), "manifest.csv");
        File.WriteAllBytes(path, [.. "path,caption\na.png,fine\nb.png,caf"u8, 0xE9, .. "\n"u8]); // Latin-1 'é'
        var e = Assert.Throws<InputDataException>(() => CsvTable.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("UTF-8", e.Message);
    }
}
