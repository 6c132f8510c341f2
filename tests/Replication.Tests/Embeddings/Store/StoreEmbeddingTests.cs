using System.Diagnostics;
using System.Text.Json;
using Replication.Embeddings;
using Replication.Images;
using Replication.Embeddings.Store;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Tests.Embeddings.WebDataset;
using Replication.Embeddings.WebDataset;

namespace Replication.Tests.Embeddings.Store;

public class StoreEmbeddingTests
{
    private static StoreRunResult Embed(string shards, string store, ShardSelection? selection = null, string model = "pixels")
    {
        using var extractor = FeatureExtractor.Open(model);
        return StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, selection ?? ShardSelection.All, batchSize: 3);
    }

    [Fact]
    public void AStoreHoldsTheRowsOfTheSameImagesEmbeddedFromAFolder()
    {
        var (images, shards) = WebDatasetFixtures.Packed(perShard: 4);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        var result = Embed(shards, store);
        Assert.NotNull(result.Manifest);
        using var extractor = FeatureExtractor.Open("pixels");
        var folder = EmbeddingJob.Run(ImageCollection.FromFolder(images), extractor, Path.Combine(Fixtures.TempFolder(), "folder"));
        var expected = NpyMatrix.ReadAll(folder.VectorsPath, out long rows, out int dim);
        using var opened = EmbeddingStore.Open(store);
        Assert.Equal(rows, opened.Count);
        Assert.Equal(dim, opened.Dimension);
        var actual = new float[rows * dim];
        opened.ReadRows(0, (int)rows, actual);
        Assert.Equal(expected, actual);
        var across = new float[3 * dim]; // rows 3..5 straddle the two shards
        opened.ReadRows(3, 3, across);
        Assert.Equal(expected.AsSpan(3 * dim, 3 * dim).ToArray(), across);
        var row = opened.Row(4);
        Assert.Equal((1, "000010000"), (row.Shard, row.Key));
        Assert.Equal(WebDatasetPacker.CaptionFromName(folder.Images[4].RelativePath), row.Caption);
        Assert.Equal(folder.Images[4].RelativePath, row.Url);
        Assert.Equal([0L, 4L], opened.Manifest.Shards.Select(s => s.FirstRow));
    }

    [Fact]
    public void ShardsSplitOverProcessesGiveTheStoreOfOneRun()
    {
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 2);
        var one = Path.Combine(Fixtures.TempFolder(), "one");
        var split = Path.Combine(Fixtures.TempFolder(), "split");
        Embed(shards, one);
        Assert.Null(Embed(shards, split, new ShardSelection(2, 3)).Manifest);
        Assert.Null(Embed(shards, split, new ShardSelection(0, 3)).Manifest);
        var last = Embed(shards, split, new ShardSelection(1, 3));
        Assert.Equal([1], last.Shards.Select(s => s.Done.Index));
        Assert.NotNull(last.Manifest);
        Assert.Equal(StoreFixtures.Files(one), StoreFixtures.Files(split));
    }

    [Fact]
    public void ARestartKeepsDoneShardsAndEmbedsADamagedOneAgain()
    {
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 2);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        Embed(shards, store);
        var before = StoreFixtures.Files(store);
        Assert.All(Embed(shards, store).Shards, s => Assert.True(s.Reused));
        var npy = Path.Combine(StoreFiles.ShardFolder(store, 1), StoreFiles.Vectors);
        var bytes = File.ReadAllBytes(npy);
        bytes[^3] ^= 0x10;
        File.WriteAllBytes(npy, bytes);
        var again = Embed(shards, store);
        Assert.Equal([true, false, true], again.Shards.Select(s => s.Reused));
        Assert.Equal(before, StoreFixtures.Files(store));
    }

    [Fact]
    public void AnotherModelOrAnotherShardListIsRefusedForAnExistingStore()
    {
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 2);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        Embed(shards, store);
        Assert.Contains("other settings", Assert.Throws<InputDataException>(() => Embed(shards, store, model: "tiled-l2")).Message);
        var list = Path.Combine(Fixtures.TempFolder(), "list.txt");
        File.WriteAllLines(list, Directory.GetFiles(shards, "*.tar").Order().Take(2));
        Assert.Contains("another list", Assert.Throws<InputDataException>(() => Embed(list, store)).Message);
    }

    [Fact]
    public void AShardListedTwiceIsRefused()
    {
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 2);
        var tar = Directory.GetFiles(shards, "*.tar").Order().First();
        var list = Path.Combine(shards, "list.txt");
        File.WriteAllLines(list, [Path.GetFileName(tar), "00001.tar", "./" + Path.GetFileName(tar)]);
        Assert.Contains("listed twice", Assert.Throws<InputDataException>(() => ShardList.Resolve(list)).Message);
        var link = Path.Combine(Fixtures.TempFolder(), "alias.tar");
        File.CreateSymbolicLink(link, tar);
        File.WriteAllLines(list, [tar, link]);
        Assert.Contains("listed twice", Assert.Throws<InputDataException>(() => ShardList.Resolve(list)).Message);
        File.WriteAllLines(list, [tar, "missing.tar"]);
        Assert.Throws<InputMissingException>(() => ShardList.Resolve(list));
    }

    [Fact]
    public void BadSamplesAreSkippedWithTheirReasonAndNothingIsWrittenOutsideTheStore()
    {
        var root = Fixtures.TempFolder();
        var png = WebDatasetFixtures.Fixture("camera.png");
        var jpg = WebDatasetFixtures.Fixture("rocket.jpg");
        var shards = Path.Combine(root, "in", "shards");
        WebDatasetFixtures.Tar(Path.Combine(shards, "00000.tar"),
            ("a.png", png), ("a.txt", "good"u8.ToArray()),
            ("../../escape.png", png),
            ("/tmp/absolute.png", png),
            ("corrupt.png", "\x89PNG but not really"u8.ToArray()),
            ("cut.jpg", jpg[..(jpg.Length / 2)]),
            ("nothing.txt", "caption without an image"u8.ToArray()),
            ("latin1.jpg", jpg), ("latin1.txt", [0x63, 0x61, 0x66, 0xE9]));
        File.WriteAllBytes(Path.Combine(shards, "00000.parquet"), "not parquet at all"u8.ToArray());
        var (_, packed) = WebDatasetFixtures.Packed(perShard: 10);
        var good = File.ReadAllBytes(Directory.GetFiles(packed, "*.tar").Single());
        File.WriteAllBytes(Path.Combine(shards, "00001.tar"), good[..(good.Length * 2 / 3)]); // truncated tar
        var store = Path.Combine(root, "out", "store");
        var before = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToHashSet();
        var result = Embed(shards, store);
        Assert.NotNull(result.Manifest);
        var first = result.Shards[0].Done;
        Assert.Equal(2, first.Rows);
        Assert.Equal(5, first.Skipped);
        var skipped = CsvTable.Read(Path.Combine(StoreFiles.ShardFolder(store, 0), StoreFiles.Skipped));
        string Reason(string key) => skipped.Cell(Enumerable.Range(0, skipped.Rows.Count).Single(i => skipped.Cell(i, "key") == key), "reason")!;
        Assert.Contains("climbs out", Reason("../../escape"));
        Assert.Contains("absolute", Reason("/tmp/absolute"));
        Assert.Contains("not an image", Reason("corrupt"));
        Assert.Contains("truncated", Reason("cut"));
        Assert.Contains("no image", Reason("nothing"));
        Assert.Contains(first.Notes, n => n.Contains("not a readable parquet"));
        var warnings = File.ReadAllText(Path.Combine(StoreFiles.ShardFolder(store, 0), StoreFiles.Warnings));
        Assert.Contains("not UTF-8", warnings);
        var second = result.Shards[1].Done;
        Assert.True(second.Rows >= 1);
        Assert.Contains(second.Notes, n => n.Contains("truncated or corrupt tar"));
        // the only new files are the store's
        var added = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !before.Contains(f)).ToList();
        Assert.All(added, f => Assert.StartsWith(store + Path.DirectorySeparatorChar, f));
        Assert.False(File.Exists(Path.Combine(root, "escape.png")));
        Assert.False(File.Exists("/tmp/absolute.png"));
    }

    [Fact]
    public void EachShardHasItsOwnLockSoAnotherPartCanRunBesideIt()
    {
        var (_, shards) = WebDatasetFixtures.Packed(perShard: 3);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        var busy = StoreFiles.ShardFolder(store, 1);
        Directory.CreateDirectory(busy);
        using var self = Process.GetCurrentProcess();
        File.WriteAllText(Path.Combine(busy, OutputLock.FileName), JsonSerializer.Serialize(new
        {
            host = Environment.MachineName, pid = Environment.ProcessId, started = self.StartTime.ToUniversalTime().ToString("o"),
        }));
        var part0 = Embed(shards, store, new ShardSelection(0, 2));
        Assert.Equal(3, part0.Shards.Single().Done.Rows + part0.Shards.Single().Done.Skipped); // shard 0's 3 samples, beside the locked shard 1
        var blocked = Embed(shards, store, new ShardSelection(1, 2)); // a live process holds shard 1: left to it, not an error
        Assert.Empty(blocked.Shards);
        Assert.Contains("another run", Assert.Single(blocked.Busy));
        Assert.Null(blocked.Manifest);
        File.Delete(Path.Combine(busy, OutputLock.FileName));
        Assert.NotNull(Embed(shards, store, new ShardSelection(1, 2)).Manifest);
    }
}
