using Replication.Images;
using Replication.Data.Datasets;

namespace Replication.Tests.Data.Datasets;

public class ClassNamesTests
{
    [Fact]
    public void LabelsComeFromTheManifestElseTheFirstFolder()
    {
        Assert.Equal("cat", ClassNames.Of(new ImageRecord("n01/x.JPEG", "/d/n01/x.JPEG", "n01/x.JPEG", Label: "cat")));
        Assert.Equal("n01440764", ClassNames.Of(new ImageRecord("n01440764/n01440764_10026.JPEG", "/t/n01440764/n01440764_10026.JPEG", "n01440764/n01440764_10026.JPEG")));
        Assert.Null(ClassNames.Of(new ImageRecord("x.png", "/t/x.png", "x.png")));
    }

    [Fact]
    public void ReadsImageNetsSynsetMappingAndNamesBadLines()
    {
        var dir = Fixtures.TempFolder();
        var path = Path.Combine(dir, "LOC_synset_mapping.txt");
        File.WriteAllText(path, "n01440764 tench, Tinca tinca\nn01443537 goldfish, Carassius auratus\n\n");
        var names = ClassNames.ReadSynsetMapping(path);
        Assert.Equal("tench", names["n01440764"]);
        Assert.Equal("goldfish", names["n01443537"]);
        File.WriteAllText(path, "n01440764 tench\nbroken\n");
        var e = Assert.Throws<InputDataException>(() => ClassNames.ReadSynsetMapping(path));
        Assert.Contains("line 2", e.Message);
    }
}
