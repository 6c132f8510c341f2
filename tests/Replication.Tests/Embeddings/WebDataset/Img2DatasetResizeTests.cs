using System.Formats.Tar;
using System.Text.Json.Nodes;
using Replication.Embeddings.WebDataset;
using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Embeddings.WebDataset;

/// <summary>pack --resize N --keep-ratio: img2dataset's keep_ratio, resize_only_if_bigger, skip_reencode, JPEG q95.</summary>
public class Img2DatasetResizeTests
{
    private static byte[] Jpeg(int w, int h, int seed)
    {
        using var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                img[x, y] = new Rgb24((byte)(x * 255 / w), (byte)(y * 255 / h), (byte)((x + y + seed * 40) * 255 / (w + h + 160)));
        using var s = new MemoryStream();
        img.SaveAsJpeg(s); // ImageSharp writes a JFIF header
        return s.ToArray();
    }

    [Fact]
    public void ABigImageShrinksByAreaToItsShorterSideAndASmallJpegKeepsItsBytes()
    {
        var resize = new Img2DatasetResize(64);
        byte[] big = Jpeg(200, 120, 1);
        var r = resize.Apply(big, "big.jpg");
        Assert.True(r.Reencoded);
        Assert.Equal((107, 64, 200, 120), (r.Width, r.Height, r.OriginalWidth, r.OriginalHeight)); // 200 × 64/120 = 106.67 → 107
        // the pixels are OpenCV's area resampling of the decoded original, through a JPEG q95 round trip
        var expected = AreaResampler.Resize(ImageDecoder.Decode(big, "big.jpg"), 107, 64);
        var stored = ImageDecoder.Decode(r.Bytes, "stored.jpg");
        double mean = expected.Pixels.Zip(stored.Pixels).Average(p => Math.Abs(p.First - p.Second));
        Assert.InRange(mean, 0, 3);

        byte[] small = Jpeg(50, 40, 2);
        var kept = resize.Apply(small, "small.jpg");
        Assert.False(kept.Reencoded);
        Assert.Same(small, kept.Bytes);
        Assert.Equal((50, 40), (kept.Width, kept.Height));
        Assert.True(Img2DatasetResize.IsImghdrJpeg(small));
        Assert.False(Img2DatasetResize.IsImghdrJpeg([0xFF, 0xD8, 0xFF, 0xEE, 0, 0, 0, 0, 0, 0])); // an Adobe-marker JPEG: imghdr says no
    }

    [Fact]
    public void TransparencyIsMattedOntoWhiteAndAPngIsReencodedEvenWhenSmall()
    {
        // 16-pixel blocks, so that JPEG's 4:2:0 chroma does not mix them
        using var img = new Image<Rgba32>(48, 16);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 48; x++)
                img[x, y] = x < 16 ? new Rgba32(0, 0, 0, 0)   // transparent black → white
                    : x < 32 ? new Rgba32(0, 0, 0, 128)        // half: 128/255·0 + 255 − 128 = 127
                    : new Rgba32(200, 100, 0, 255);            // opaque: kept
        using var s = new MemoryStream();
        img.SaveAsPng(s);
        var r = new Img2DatasetResize(256).Apply(s.ToArray(), "a.png");
        Assert.True(r.Reencoded);
        Assert.Equal("jpg", r.Extension);
        var back = ImageDecoder.Decode(r.Bytes, "a.jpg");
        Assert.InRange(back.Pixels[(8 * 48 + 8) * 3], 250, 255);
        Assert.InRange(back.Pixels[(8 * 48 + 24) * 3], 122, 132);
        Assert.InRange(back.Pixels[(8 * 48 + 40) * 3], 195, 205);
    }

    [Fact]
    public void PackWritesTheResizedImagesAndTheirOriginalSize()
    {
        var dir = Fixtures.TempFolder();
        var images = Directory.CreateDirectory(Path.Combine(dir, "img")).FullName;
        File.WriteAllBytes(Path.Combine(images, "a.jpg"), Jpeg(300, 90, 3));
        File.WriteAllBytes(Path.Combine(images, "b.jpg"), Jpeg(40, 30, 4));
        File.WriteAllBytes(Path.Combine(images, "c.jpg"), [1, 2, 3]); // cannot be decoded: skipped, as img2dataset drops it
        var shards = Path.Combine(dir, "shards");
        var result = WebDatasetPacker.Pack(ImageCollection.FromFolder(images), shards, 10, new Img2DatasetResize(64));
        Assert.Equal(2, result.Samples);
        Assert.Single(result.Skipped);
        using var tar = new TarReader(File.OpenRead(result.Shards[0]));
        var entries = new Dictionary<string, byte[]>();
        while (tar.GetNextEntry() is { } e)
        {
            using var m = new MemoryStream();
            e.DataStream!.CopyTo(m);
            entries[e.Name] = m.ToArray();
        }
        var json = JsonNode.Parse(entries["000000000.json"])!;
        Assert.Equal((213, 64, 300, 90), ((int)json["width"]!, (int)json["height"]!, (int)json["original_width"]!, (int)json["original_height"]!));
        Assert.Equal(File.ReadAllBytes(Path.Combine(images, "b.jpg")), entries["000000001.jpg"]);
    }
}
