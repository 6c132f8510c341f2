using Replication.Embeddings.WebDataset;

namespace Replication.Tests.Embeddings.WebDataset;

public class TarShardReaderTests
{
    [Fact]
    public void PackedShardsReadBackWithTheirBytesCaptionsAndMetadata()
    {
        var (images, shards) = WebDatasetFixtures.Packed(perShard: 4);
        var tars = Directory.GetFiles(shards, "*.tar").Order().ToList();
        Assert.Equal(2, tars.Count);
        Assert.All(tars, t => Assert.True(File.Exists(ShardMetadata.PathFor(t))));
        var samples = tars.SelectMany(t => new TarShardReader(t).Samples().ToList()).ToList();
        var sorted = WebDatasetFixtures.Names.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(sorted.Count, samples.Count);
        Assert.Equal(["000000000", "000000001", "000000002", "000000003", "000010000", "000010001"], samples.Select(s => s.Key));
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            Assert.Null(s.Problem);
            Assert.Empty(s.Notes);
            Assert.Equal(File.ReadAllBytes(Path.Combine(images, sorted[i])), s.Image);
            Assert.Equal(WebDatasetPacker.CaptionFromName(sorted[i]), s.Caption);
            Assert.Equal(sorted[i], s.Url);
            Assert.NotNull(s.Width);
        }
        Assert.Equal("chelsea cmyk", samples[sorted.IndexOf("chelsea-cmyk.jpg")].Caption);
    }

    [Fact]
    public void HostileEntriesAreRefusedWithTheirReasonAndGoodSamplesKept()
    {
        var dir = Fixtures.TempFolder();
        var png = WebDatasetFixtures.Fixture("camera.png");
        var tar = WebDatasetFixtures.Tar(Path.Combine(dir, "hostile.tar"),
            ("good.png", png), ("good.txt", "a camera"u8.ToArray()),
            ("../../x.png", png),
            ("/abs.png", png),
            ("link.png", null),
            ("textonly.txt", "no image here"u8.ToArray()),
            ("latin1.png", png), ("latin1.txt", [0x63, 0x61, 0x66, 0xE9]), ("latin1.json", "{not json"u8.ToArray()));
        var reader = new TarShardReader(tar);
        var samples = reader.Samples().ToDictionary(s => s.Key);
        Assert.Empty(reader.Problems);
        Assert.Null(samples["good"].Problem);
        Assert.Equal("a camera", samples["good"].Caption);
        Assert.Contains("climbs out", samples["../../x"].Problem);
        Assert.Null(samples["../../x"].Image);
        Assert.Contains("absolute", samples["/abs"].Problem);
        Assert.Contains("SymbolicLink", samples["link"].Problem);
        Assert.Contains("no image", samples["textonly"].Problem);
        var latin1 = samples["latin1"];
        Assert.Null(latin1.Problem);
        Assert.Equal("caf\uFFFD", latin1.Caption);
        Assert.Contains(latin1.Notes, n => n.Contains("not UTF-8"));
        Assert.Contains(latin1.Notes, n => n.Contains("not valid json"));
        Assert.False(File.Exists(Path.Combine(dir, "..", "..", "x.png")));
    }

    [Fact]
    public void ATruncatedTarKeepsTheSamplesBeforeTheCutAndSaysWhere()
    {
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 10);
        var tar = Directory.GetFiles(shards, "*.tar").Single();
        var bytes = File.ReadAllBytes(tar);
        // cut inside the third sample's image: after the first two samples' entries
        var full = new TarShardReader(tar).Samples().ToList();
        long cut = 3 * 512 + full[0].Image!.Length + 6 * 512 + full[1].Image!.Length + 4096; // header + data blocks, roughly; inside sample 3
        var truncated = Path.Combine(Fixtures.TempFolder(), "cut.tar");
        File.WriteAllBytes(truncated, bytes[..(int)cut]);
        var reader = new TarShardReader(truncated);
        var samples = reader.Samples().ToList();
        Assert.True(samples.Count >= 2);
        Assert.Equal(full[0].Image, samples[0].Image);
        Assert.Equal(full[1].Image, samples[1].Image);
        Assert.Contains(reader.Problems, p => p.Contains("truncated or corrupt tar"));
        Assert.All(samples.Where(s => s.Image is not null), s => Assert.Equal(full.Single(f => f.Key == s.Key).Image, s.Image));
    }

    [Theory]
    [InlineData("a/b.jpg", null)]
    [InlineData("../../x", "climbs")]
    [InlineData("a/../../x.png", "climbs")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/x.png", "absolute")]
    [InlineData("a\\..\\x.png", "backslash")]
    [InlineData("a\nb.png", "control")]
    public void EntryNamesAreJudged(string name, string? problem)
    {
        var reason = EntryName.Problem(name);
        if (problem is null) Assert.Null(reason);
        else Assert.Contains(problem, reason);
    }

    [Fact]
    public void KeysSplitAtTheFirstDotOfTheLastSegment()
    {
        Assert.Equal(("dir/000001", "seg.png"), EntryName.Split("dir/000001.SEG.png"));
        Assert.Equal(("a.b/c", "jpg"), EntryName.Split("a.b/c.jpg"));
        Assert.Equal(("noext", ""), EntryName.Split("noext"));
    }
}
