using System.Text.Json.Nodes;
using Replication.Images;

namespace Replication.Tests.Images;

/// <summary>INTER_AREA against OpenCV 4.6 (fixtures/area/make_area.py): whole-number blocks, 2×2, and fractional cells.</summary>
public class AreaResamplerTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Json()["cases"]!.AsArray().Count));

    private static JsonNode Json() => JsonNode.Parse(File.ReadAllText(Fixtures.Path("area", "area.json")))!;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ShrinksAsOpenCv(int index)
    {
        var c = Json()["cases"]![index]!;
        var source = ImageDecoder.Decode(Path.Combine(Fixtures.RepositoryRoot(), (string)c["source"]!), alpha: AlphaHandling.Drop);
        var expected = ImageDecoder.Decode(Fixtures.Path("area", (string)c["expected"]!));
        var actual = AreaResampler.Resize(source, (int)c["width"]!, (int)c["height"]!);
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        int differ = expected.Pixels.Zip(actual.Pixels).Count(p => p.First != p.Second);
        int worst = expected.Pixels.Zip(actual.Pixels).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(differ == 0, $"{c["expected"]}: {differ} of {actual.Pixels.Length} values differ, by up to {worst}");
    }

    [Fact]
    public void EnlargingIsRefused()
    {
        var img = RgbImage.Create(10, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => AreaResampler.Resize(img, 11, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => AreaResampler.Resize(img, 0, 5));
    }
}
