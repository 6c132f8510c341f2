using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace Replication.Tests.Images;

/// <summary>
/// JPEG decoding against Pillow 9.4 / libjpeg-turbo 2.1.5 (<c>Image.open(p).convert("RGB")</c>), whose output
/// fixtures/make_jpeg_fixtures.py stored beside each JPEG as a lossless PNG.
/// </summary>
public class JpegParityTests(ITestOutputHelper output)
{
    /// <summary>The target: byte-identical, every channel of every pixel (0 levels anywhere, 0 on average).</summary>
    private const int MaxAbs = 0;
    private const double MaxMean = 0;

    private static readonly string[] Files =
    [
        "synth-420-q90.jpg", "synth-422-q92.jpg", "synth-444-q90.jpg", "synth-420-q75.jpg",
        "astronaut-420-q90.jpg", "coffee-420-q75.jpg", "chelsea-422-q92.jpg", "rocket-444-q95.jpg", "hopper-420-q85.jpg",
        "coffee-progressive.jpg", "camera-gray.jpg", "chelsea-cmyk.jpg", "astronaut-ycck.jpg", "chelsea-restart.jpg",
        "synth-exif-orientation6.jpg", "chelsea-icc.jpg",
    ];

    public static TheoryData<string> Fixtures => new(Files);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void DecodesAsPillow(string file)
    {
        var (max, mean) = Compare(ImageDecoder.Decode(JpegPath(file)), Reference(file));
        output.WriteLine($"{file}: max |diff| {max}/255, mean {mean:F4}/255");
        Assert.True(max <= MaxAbs, $"{file}: max |diff| {max} > {MaxAbs}");
        Assert.True(mean <= MaxMean, $"{file}: mean |diff| {mean:F4} > {MaxMean}");
    }

    [Theory]
    [InlineData("synth-420-q90.jpg")]
    [InlineData("synth-422-q92.jpg")]
    public void ImageSharpPathMissesTheTargetsOnChromaEdges(string file)
    {
        // The fixtures can tell decoders apart: the path this decoder replaced fails them (and would fail the old, looser
        // targets too: more than 2 levels somewhere and more than 0.3 on average).
        var (max, mean) = Compare(ImageDecoder.DecodeWithImageSharp(JpegPath(file)), Reference(file));
        output.WriteLine($"{file} (ImageSharp): max |diff| {max}/255, mean {mean:F4}/255");
        Assert.True(max > 2 && mean > 0.3, $"{file}: ImageSharp max {max}, mean {mean:F4}");
    }

    [Fact]
    public void ExifOrientationIsNotApplied()
    {
        // stored 61 wide and 37 high with orientation 6 (display rotated by 90°): PIL and torchvision keep 61x37
        var img = ImageDecoder.Decode(JpegPath("synth-exif-orientation6.jpg"));
        Assert.Equal((61, 37), (img.Width, img.Height));
    }

    [Fact]
    public void TruncatedJpegIsRefusedWithOneClearError()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(JpegPath("truncated.jpg")));
        Assert.Contains("truncated.jpg", e.Message);
        Assert.Contains("truncated JPEG", e.Reason);
    }

    [Fact]
    public void TruncatedProgressiveJpegIsRefused()
    {
        // progressive: libjpeg-turbo reads every scan before the first row, so the truncation shows up earlier
        var bytes = File.ReadAllBytes(JpegPath("coffee-progressive.jpg"));
        var path = Path.Combine(Replication.Tests.Fixtures.TempFolder(), "progressive-cut.jpg");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 3 / 5)]);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        Assert.Contains("truncated", e.Reason);
    }

    [Fact]
    public void TruncatedHeaderIsRefused()
    {
        var bytes = File.ReadAllBytes(JpegPath("astronaut-420-q90.jpg"));
        var path = Path.Combine(Replication.Tests.Fixtures.TempFolder(), "header-only.jpg");
        File.WriteAllBytes(path, bytes[..40]);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        Assert.Contains("truncated", e.Reason);
    }

    [Fact]
    public void CorruptJpegIsAnImageDecodeException()
    {
        var path = Path.Combine(Replication.Tests.Fixtures.TempFolder(), "garbage.jpg");
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x03, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]);
        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
    }

    [Fact]
    public void DecompressionBombLimitIsCheckedBeforeDecoding()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(JpegPath("coffee-420-q75.jpg"), maxPixels: 151 * 113 - 1));
        Assert.Contains("decompression bomb", e.Reason);
        Assert.Equal(151, ImageDecoder.Decode(JpegPath("coffee-420-q75.jpg"), maxPixels: 151 * 113).Width);
    }

    [Fact]
    public void ParallelDecodesGiveTheSamePixels()
    {
        var files = Files;
        var serial = files.Select(f => ImageDecoder.Decode(JpegPath(f)).Pixels).ToArray();
        var parallel = new byte[files.Length * 8][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i] = ImageDecoder.Decode(JpegPath(files[i % files.Length])).Pixels);
        for (int i = 0; i < parallel.Length; i++)
            Assert.Equal(serial[i % files.Length], parallel[i]);
    }

    private static string JpegPath(string file) => Replication.Tests.Fixtures.Path("jpeg", file);

    private static RgbImage Reference(string file)
    {
        // read with ImageSharp directly (lossless PNG), independently of the decoder under test
        using var png = Image.Load<Rgb24>(JpegPath(file) + ".pil.png");
        var img = RgbImage.Create(png.Width, png.Height);
        png.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(img.Pixels.AsSpan()));
        return img;
    }

    private static (int Max, double Mean) Compare(RgbImage actual, RgbImage expected)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        int max = 0;
        long sum = 0;
        for (int i = 0; i < expected.Pixels.Length; i++)
        {
            int d = Math.Abs(actual.Pixels[i] - expected.Pixels[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        return (max, (double)sum / expected.Pixels.Length);
    }
}
