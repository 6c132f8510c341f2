using Replication.Embeddings;
using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace Replication.Tests.Images;

/// <summary>
/// Truncated files (fixtures/truncated, made by make_truncated_fixtures.py: each format whole and cut short, with Pillow's
/// answers in pillow.txt): refused as Pillow refuses them by default; with acceptTruncated decoded with what they hold, as
/// Pillow with LOAD_TRUNCATED_IMAGES, except WebP, which Pillow refuses either way.
/// </summary>
public class TruncatedImageTests(ITestOutputHelper output)
{
    public static TheoryData<string> Formats() => ["png", "gif", "webp", "tif", "bmp", "jpg"];

    private static string Fixture(string ext, string part) =>
        Fixtures.Path("truncated", $"{(ext switch { "tif" => "tiff", "jpg" => "jpeg", _ => ext })}-{part}.{ext}");

    private static RgbImage Pillow(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        var result = RgbImage.Create(image.Width, image.Height);
        image.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(result.Pixels.AsSpan()));
        return result;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void WholeFilesDecodeAndCutOnesAreRefusedAsPillowRefusesThem(string ext)
    {
        Assert.Null(TruncatedImage.Reason(Fixture(ext, "full")));
        var full = ImageDecoder.Decode(Fixture(ext, "full"));
        Assert.Equal((96, 80), (full.Width, full.Height));
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Fixture(ext, "cut")));
        Assert.Contains("truncated", e.Reason);
        Assert.Contains("accepting truncated images decodes what is there", e.Reason);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ACutAnywhereInTheImageDataIsRefused(string ext)
    {
        var whole = File.ReadAllBytes(Fixture(ext, "full"));
        var dir = Fixtures.TempFolder();
        foreach (int percent in new[] { 5, 20, 35, 50, 65, 80, 95 })
        {
            string path = Path.Combine(dir, $"cut{percent}.{ext}");
            File.WriteAllBytes(path, whole[..(whole.Length * percent / 100)]);
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
            output.WriteLine($"{ext} cut at {percent}%: {e.Reason}");
        }
    }

    [Theory]
    [InlineData("png")]
    [InlineData("gif")]
    [InlineData("tif")]
    [InlineData("bmp")]
    [InlineData("jpg")]
    public void AcceptedTruncatedFilesDecodeWhatIsThereAsPillowWithLoadTruncatedImages(string ext)
    {
        var cut = ImageDecoder.Decode(Fixture(ext, "cut"), acceptTruncated: true);
        var pillow = Pillow(Fixture(ext, "cut") + ".pil.png");
        Assert.Equal((pillow.Width, pillow.Height), (cut.Width, cut.Height));
        // the rows the file holds are those of the whole file; the rest are filled (black, or mid-grey for JPEG, as Pillow)
        var full = ImageDecoder.Decode(Fixture(ext, "full"));
        int stride = cut.Stride, same = 0, pillowSame = 0;
        for (int y = 0; y < cut.Height; y++)
        {
            if (cut.Pixels.AsSpan(y * stride, stride).SequenceEqual(full.Pixels.AsSpan(y * stride, stride))) same++;
            if (cut.Pixels.AsSpan(y * stride, stride).SequenceEqual(pillow.Pixels.AsSpan(y * stride, stride))) pillowSame++;
        }
        output.WriteLine($"{ext}: {same} of {cut.Height} rows as in the whole file, {pillowSame} as Pillow decodes the cut file");
        Assert.InRange(same, 1, cut.Height - 1);
        Assert.True(pillowSame >= same, "every row the file holds is decoded as Pillow decodes it");
    }

    [Fact]
    public void TruncatedWebPIsRefusedEvenWhenAccepted()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Fixture("webp", "cut"), acceptTruncated: true));
        Assert.Contains("Pillow", e.Reason);
    }

    [Fact]
    public void AcceptingTruncatedImagesChangesTheFingerprintButNotTheDefaultOne()
    {
        var card = BuiltinModels.CardOf(BuiltinModels.PixelsName);
        ImageRecord[] images = [new("a", Fixture("png", "full"), "a")];
        Assert.Equal(EmbeddingJob.Fingerprint(card, images), EmbeddingJob.Fingerprint(card, images, acceptTruncated: false));
        Assert.NotEqual(EmbeddingJob.Fingerprint(card, images), EmbeddingJob.Fingerprint(card, images, acceptTruncated: true));
    }
}
