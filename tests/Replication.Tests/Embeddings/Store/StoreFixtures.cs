using Replication.Images;
using Replication.Embeddings.WebDataset;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Embeddings.Store;

internal static class StoreFixtures
{
    /// <summary><paramref name="count"/> noise PNGs (seeded), large enough that decoding takes a while, packed into shards.</summary>
    public static (string Images, string Shards) NoiseShards(int count, int perShard, int size = 320, int seed = 7)
    {
        var images = Fixtures.TempFolder();
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            using var image = new Image<Rgb24>(size, size);
            var pixels = new byte[size * size * 3];
            random.NextBytes(pixels);
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < size; y++)
                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.GetRowSpan(y)).CopyFrom(pixels.AsSpan(y * size * 3, size * 3));
            });
            image.SaveAsPng(Path.Combine(images, $"noise_{i:D3}.png"));
        }
        var shards = Path.Combine(Fixtures.TempFolder(), "shards");
        WebDatasetPacker.Pack(ImageCollection.FromFolder(images), shards, perShard);
        return (images, shards);
    }

    private static void CopyFrom(this Span<byte> destination, ReadOnlySpan<byte> source) => source.CopyTo(destination);

    /// <summary>Every file of a store except its lock files, as relative path → bytes.</summary>
    public static SortedDictionary<string, byte[]> Files(string store) =>
        new(Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != ".lock")
            .ToDictionary(f => Path.GetRelativePath(store, f), File.ReadAllBytes), StringComparer.Ordinal);
}
