using System.Formats.Tar;
using Replication.Images;
using Replication.Embeddings.WebDataset;

namespace Replication.Tests.Embeddings.WebDataset;

/// <summary>Shards for tests: packed from the preprocessing fixtures, or written entry by entry (hostile names, bad captions).</summary>
internal static class WebDatasetFixtures
{
    public static readonly string[] Names = ["camera.png", "chelsea-cmyk.jpg", "chelsea-palette.png", "horse.png", "rocket.jpg", "chelsea.png"];

    /// <summary>A folder holding copies of the fixture images (in <see cref="Names"/> order once sorted by the folder listing).</summary>
    public static string ImageFolder()
    {
        var dir = Fixtures.TempFolder();
        foreach (var f in Names)
            File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(dir, f));
        return dir;
    }

    /// <summary>The fixture images packed into shards of <paramref name="perShard"/> samples; returns the shard folder.</summary>
    public static (string Images, string Shards) Packed(int perShard)
    {
        var images = ImageFolder();
        var shards = Path.Combine(Fixtures.TempFolder(), "shards");
        WebDatasetPacker.Pack(ImageCollection.FromFolder(images), shards, perShard);
        return (images, shards);
    }

    /// <summary>A tar written entry by entry: (name, bytes) or (name, null) for a symbolic link.</summary>
    public static string Tar(string path, params (string Name, byte[]? Data)[] entries)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var (name, data) in entries)
        {
            if (data is null)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = "/etc/passwd" });
                continue;
            }
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
        return path;
    }

    public static byte[] Fixture(string name) => File.ReadAllBytes(Fixtures.Path("preprocessing", name));
}
