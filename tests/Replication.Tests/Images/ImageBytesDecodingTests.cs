using Replication.Images;

namespace Replication.Tests.Images;

/// <summary>Images held in memory (tar entries) decode to exactly the pixels of the same bytes read from a file, and fail the same way.</summary>
public class ImageBytesDecodingTests
{
    [Theory]
    [InlineData("camera.png")]
    [InlineData("chelsea-cmyk.jpg")]
    [InlineData("chelsea-palette.png")]
    [InlineData("chelsea-rgb16.png")]
    [InlineData("rocket.jpg")]
    public void BytesDecodeToThePixelsOfTheFile(string name)
    {
        string path = Fixtures.Path("preprocessing", name);
        var fromFile = ImageDecoder.Decode(path);
        var fromBytes = ImageDecoder.Decode(File.ReadAllBytes(path), $"shard.tar:{name}");
        Assert.Equal((fromFile.Width, fromFile.Height), (fromBytes.Width, fromBytes.Height));
        Assert.Equal(fromFile.Pixels, fromBytes.Pixels);
    }

    [Theory]
    [InlineData("rocket.jpg")]
    [InlineData("camera.png")]
    public void TruncatedBytesAreRefusedAsTheTruncatedFileIs(string name)
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("preprocessing", name));
        var cut = bytes[..(bytes.Length / 2)];
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(cut, $"s.tar:{name}"));
        Assert.Contains("truncated", e.Reason);
        Assert.Contains($"s.tar:{name}", e.Message);
        var path = Path.Combine(Fixtures.TempFolder(), name);
        File.WriteAllBytes(path, cut);
        Assert.Equal(Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path)).Reason, e.Reason);
        var accepted = ImageDecoder.Decode(cut, $"s.tar:{name}", acceptTruncated: true);
        Assert.Equal(ImageDecoder.Decode(path, acceptTruncated: true).Pixels, accepted.Pixels);
    }

    [Fact]
    public void EmptyAndNonImageBytesAreDecodeFaults()
    {
        Assert.Contains("empty", Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode([], "s.tar:a.jpg")).Reason);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode("not an image"u8.ToArray(), "s.tar:b.png"));
        Assert.True(ImageFault.IsPerFile(e));
        Assert.Contains("not an image", e.Reason);
    }
}
