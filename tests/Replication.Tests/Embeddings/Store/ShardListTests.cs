using Replication.Embeddings.Store;
using Replication.Embeddings.WebDataset;
using Replication.Images;

namespace Replication.Tests.Embeddings.Store;

public class ShardListTests
{
    [Fact]
    public void ASingleTarIsOneShardAndABinaryFileThatIsNotATarIsRefusedAsNotAList()
    {
        var (_, shards) = StoreFixtures.NoiseShards(4, 2, size: 16);
        string first = Directory.GetFiles(shards, "*.tar").Order(StringComparer.Ordinal).First();
        Assert.Equal([Path.GetFullPath(first)], ShardList.Resolve(first));
        string binary = Path.Combine(Fixtures.TempFolder(), "list.bin");
        File.WriteAllBytes(binary, [1, 0, 2, 0, 3]);
        Assert.Contains("neither a tar shard nor a text list", Assert.Throws<InputDataException>(() => ShardList.Resolve(binary)).Message);
    }

    [Fact]
    public void AnImageWithAnExtensionTooLongForUstarIsPackedWithAPaxHeaderAndReadBack()
    {
        var dir = Fixtures.TempFolder();
        string ext = "." + new string('x', 120);
        var source = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).First();
        File.Copy(source, Path.Combine(dir, "a" + ext));
        string manifest = Path.Combine(dir, "m.csv");
        File.WriteAllLines(manifest, ["path", "a" + ext]);
        var outputs = new[] { Path.Combine(Fixtures.TempFolder(), "s1"), Path.Combine(Fixtures.TempFolder(), "s2") };
        foreach (var o in outputs) WebDatasetPacker.Pack(ImageCollection.FromManifest(manifest), o, 10);
        // deterministic: the same bytes twice
        Assert.Equal(File.ReadAllBytes(Path.Combine(outputs[0], "00000.tar")), File.ReadAllBytes(Path.Combine(outputs[1], "00000.tar")));
        // the long name round-trips through the PAX header, bytes intact
        using var tar = new System.Formats.Tar.TarReader(File.OpenRead(Path.Combine(outputs[0], "00000.tar")));
        var names = new Dictionary<string, byte[]>();
        while (tar.GetNextEntry() is { } e)
        {
            using var m = new MemoryStream();
            e.DataStream?.CopyTo(m);
            names[e.Name] = m.ToArray();
        }
        Assert.Equal(File.ReadAllBytes(source), names["000000000" + ext]);
        // a reader of the shard sees the sample (and says its extension is not an image type) instead of failing
        var sample = Assert.Single(new TarShardReader(Path.Combine(outputs[0], "00000.tar")).Samples());
        Assert.Equal("000000000", sample.Key);
    }

    [Fact]
    public void PackSkipsWhatAShardReaderWouldSkipSoThatTheTwoLimitsAgree()
    {
        // a 2 MB caption used to be packed and then skipped, with its image, by embed
        var dir = Fixtures.TempFolder();
        var sources = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(2).ToArray();
        string manifest = Path.Combine(dir, "m.csv");
        File.WriteAllLines(manifest, ["path,caption", $"{sources[0]},a short caption", $"{sources[1]},{new string('w', 2_000_000)}"]);
        var result = WebDatasetPacker.Pack(ImageCollection.FromManifest(manifest), Path.Combine(Fixtures.TempFolder(), "s"), 10);
        Assert.Equal(1, result.Samples);
        var skipped = Assert.Single(result.Skipped);
        Assert.Contains("caption of 2,000,000 bytes, above the 1 MiB", skipped.Reason);
    }
}
