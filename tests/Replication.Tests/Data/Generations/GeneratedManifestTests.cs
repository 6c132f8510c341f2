using Replication.Data.Generations;

namespace Replication.Tests.Data.Generations;

public class GeneratedManifestTests
{
    private static string Manifest(string text, params string[] images)
    {
        string folder = Fixtures.TempFolder();
        Directory.CreateDirectory(Path.Combine(folder, "out"));
        foreach (var image in images) File.WriteAllBytes(Path.Combine(folder, image), [1, 2, 3]);
        string path = Path.Combine(folder, "generated.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsRowsAndResolvesPathsRelativeToTheManifest()
    {
        string path = Manifest("path,prompt,source_key,seed,extra\nout/0.png,\"a cat, sitting\",k1,7,x\nout/1.png,a dog,k2,,y\n", "out/0.png", "out/1.png");
        var images = GeneratedManifest.Read(path);
        string folder = Path.GetDirectoryName(path)!;
        Assert.Equal(new GeneratedImage(Path.Combine(folder, "out", "0.png"), "a cat, sitting", "k1", 7), images[0]);
        Assert.Null(images[1].Seed);
    }

    [Fact]
    public void MissingColumnsAreNamed()
    {
        var e = Assert.Throws<InputDataException>(() => GeneratedManifest.Read(Manifest("path,prompt\nout/0.png,a\n", "out/0.png")));
        Assert.Contains("source_key, seed missing", e.Message);
    }

    [Theory]
    [InlineData("out/0.png,a cat,k1,7\nout/1.png,a dog,k2,seven\n", "row 2: seed 'seven' is not a whole number")]
    [InlineData("out/0.png,a cat,k1,7\n,a dog,k2,1\n", "row 2: empty path")]
    [InlineData("out/0.png,,k1,7\n", "row 1: empty prompt")]
    [InlineData("out/0.png,a cat,,7\n", "row 1: empty source_key")]
    public void BadRowsAreNamed(string rows, string message)
    {
        var e = Assert.Throws<InputDataException>(() => GeneratedManifest.Read(Manifest("path,prompt,source_key,seed\n" + rows, "out/0.png", "out/1.png")));
        Assert.Contains(message, e.Message);
        Assert.Contains("generated.csv", e.Message);
    }

    [Fact]
    public void AMissingImageIsNamedWithItsRow()
    {
        string path = Manifest("path,prompt,source_key,seed\nout/0.png,a,k,1\nout/gone.png,b,k,2\n", "out/0.png");
        var e = Assert.Throws<InputMissingException>(() => GeneratedManifest.Read(path));
        Assert.Contains("row 2: image out/gone.png not found", e.Message);
        Assert.Equal(2, GeneratedManifest.Read(path, requireFiles: false).Count);
    }
}
