using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Images;

public class ImageDecoderTests
{
    private readonly string _dir = Fixtures.TempFolder();

    [Fact]
    public void ZeroByteFileIsNamedAndExplained()
    {
        var path = Path.Combine(_dir, "empty.png");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        Assert.Contains("empty.png", e.Message);
        Assert.Contains("empty", e.Reason);
    }

    [Fact]
    public void TextFileIsNotAnImage()
    {
        var path = Path.Combine(_dir, "notes.jpg");
        File.WriteAllText(path, "this is not a JPEG");
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        Assert.Contains("not an image", e.Reason);
    }

    [Fact]
    public void TruncatedPngIsReportedNotThrownDeep()
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("preprocessing", "chelsea.png"));
        var path = Path.Combine(_dir, "truncated.png");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        // ImageSharp may either decode the partial rows or fail: either way never an unexpected exception type.
        try
        {
            var img = ImageDecoder.Decode(path);
            Assert.Equal(451, img.Width);
        }
        catch (ImageDecodeException e)
        {
            Assert.Contains("truncated.png", e.Message);
        }
    }

    [Fact]
    public void DecompressionBombIsRefusedBeforeDecoding()
    {
        var path = Fixtures.Path("preprocessing", "chelsea.png");
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path, maxPixels: 1000));
        Assert.Contains("decompression bomb", e.Reason);
    }

    [Fact]
    public void AnimatedGifGivesItsFirstFrame()
    {
        using var gif = new Image<Rgba32>(4, 4, new Rgba32(255, 0, 0));
        using var second = new Image<Rgba32>(4, 4, new Rgba32(0, 0, 255));
        gif.Frames.AddFrame(second.Frames.RootFrame);
        var path = Path.Combine(_dir, "anim.gif");
        gif.SaveAsGif(path);
        var img = ImageDecoder.Decode(path);
        Assert.Equal((byte)255, img.Pixels[0]);
        Assert.Equal((byte)0, img.Pixels[2]);
    }

    [Fact]
    public void TransparentPixelsKeepTheirStoredColourWhenAlphaIsDroppedAndTakeTheBackgroundOtherwise()
    {
        using var png = new Image<Rgba32>(2, 1);
        png[0, 0] = new Rgba32(10, 20, 30, 0);
        png[1, 0] = new Rgba32(40, 50, 60, 255);
        var path = Path.Combine(_dir, "alpha.png");
        png.SaveAsPng(path);
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, ImageDecoder.Decode(path, alpha: AlphaHandling.Drop).Pixels);
        Assert.Equal(new byte[] { 255, 255, 255, 40, 50, 60 }, ImageDecoder.Decode(path).Pixels);
        Assert.Equal(new byte[] { 0x33, 0x66, 0x99, 40, 50, 60 }, ImageDecoder.Decode(path, alpha: AlphaHandling.Parse("composite", "#336699")).Pixels);
    }

    [Theory]
    [InlineData("rgba.png")]
    [InlineData("la.png")]
    [InlineData("palette-trns.png")]
    public void CompositingMatchesPillowsAlphaCompositeExactly(string file)
    {
        string dir = Fixtures.Path("alpha");
        foreach (var (background, name) in new[] { ("white", "white"), ("#336699", "336699") })
        {
            var img = ImageDecoder.Decode(Path.Combine(dir, file), alpha: AlphaHandling.Parse("composite", background));
            using var expected = Image.Load<Rgb24>(Path.Combine(dir, $"{file}.{name}.png"));
            var reference = new byte[expected.Width * expected.Height * 3];
            expected.CopyPixelDataTo(reference);
            Assert.Equal(reference, img.Pixels);
        }
    }

    [Fact]
    public void NearConstantImagesAreRecognised()
    {
        var flat = RgbImage.Create(4, 4);
        Array.Fill(flat.Pixels, (byte)200);
        Assert.NotNull(ImageContent.Warning(flat));
        flat.Pixels[5] = 255;
        Assert.Null(ImageContent.Warning(flat));
    }

    [Theory]
    [InlineData("drop", "white", "drop")]
    [InlineData("composite", "black", "composite on #000000")]
    [InlineData("composite", "#A0b1C2", "composite on #a0b1c2")]
    public void AlphaOptionsParse(string mode, string background, string expected) =>
        Assert.Equal(expected, AlphaHandling.Parse(mode, background).ToString());

    [Fact]
    public void BadAlphaOptionsNameTheOption()
    {
        Assert.Equal("Alpha", Assert.Throws<ParameterException>(() => AlphaHandling.Parse("blend", "white")).Parameter);
        Assert.Equal("Background", Assert.Throws<ParameterException>(() => AlphaHandling.Parse("composite", "#12345")).Parameter);
    }

    [Fact]
    public void SixteenBitGrayscaleIsScaledNotClipped()
    {
        using var png = new Image<L16>(1, 1, new L16(32768));
        var path = Path.Combine(_dir, "gray16.png");
        png.SaveAsPng(path);
        var img = ImageDecoder.Decode(path);
        Assert.InRange(img.Pixels[0], 127, 128);
        Assert.Equal(img.Pixels[0], img.Pixels[1]);
    }

    [Theory]
    [InlineData("bmp")]
    [InlineData("webp")]
    [InlineData("tga")]
    public void LosslessFormatsDecodeToTheSamePixels(string ext)
    {
        using var image = new Image<Rgb24>(3, 2);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                image[x, y] = new Rgb24((byte)(40 * x), (byte)(100 * y), 77);
        var path = Path.Combine(_dir, "img." + ext);
        switch (ext)
        {
            case "bmp": image.SaveAsBmp(path); break;
            case "webp": image.SaveAsWebp(path, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless }); break;
            case "tga": image.SaveAsTga(path); break;
        }
        var img = ImageDecoder.Decode(path);
        Assert.Equal(3, img.Width);
        Assert.Equal(new byte[] { 0, 0, 77, 40, 0, 77, 80, 0, 77, 0, 100, 77, 40, 100, 77, 80, 100, 77 }, img.Pixels);
    }
}
