using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Replication.Images;
using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Metrics;

/// <summary>The official complexity analysis (DCR diff_retrieval.py) against fixtures/metrics/make_complexity.py: torchvision's view,
/// scikit-image's grey levels, scikit-learn's entropy, the official tv_loss.</summary>
public class ImageComplexityTests
{
    [Fact]
    public void EntropyGreyLevelsAndTotalVariationMatchTheOfficialCode()
    {
        var cases = JsonNode.Parse(File.ReadAllText(Fixtures.Path("metrics", "complexity.json")))!["images"]!.AsArray();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            string path = Path.Combine(Fixtures.RepositoryRoot(), (string)c!["path"]!);
            var decoded = ImageDecoder.Decode(path, alpha: AlphaHandling.Drop);
            var (values, w, h) = ImageComplexity.OfficialView(decoded);
            Assert.Equal((224, 224), (w, h));
            var bytes = ImageComplexity.Truncate(values, w, h);
            Assert.Equal((string)c["bytes_sha"]!, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            var grey = ImageComplexity.Grey(bytes);
            Assert.Equal((string)c["grey_sha"]!, Convert.ToHexStringLower(SHA256.HashData(grey)));
            var m = ImageComplexity.Measure(decoded);
            Assert.Equal((double)c["entropy"]!, m.Entropy, 1e-12);
            Assert.Equal((double)c["tv"]!, m.TotalVariation, 1e-4 * (double)c["tv"]!); // torch sums in float32
            Assert.InRange(m.JpegKiB, 1, 100);
            Assert.Equal(m.Entropy * Math.Sqrt(m.JpegKiB), m.Mixed, 12);
        }
    }

    [Fact]
    public void EntropyFollowsScikitLearnsConventions()
    {
        Assert.Equal(0, ImageComplexity.LabelEntropy([7, 7, 7]));
        Assert.Equal(1, ImageComplexity.LabelEntropy([]));
        Assert.Equal(Math.Log(2), ImageComplexity.LabelEntropy([0, 255, 0, 255]), 15);
        Assert.Equal(Math.Log(4), ImageComplexity.LabelEntropy([1, 2, 3, 4]), 15);
    }

    [Fact]
    public void AFlatImageIsSimplerThanANoisyOneByEveryMeasure()
    {
        var flat = new RgbImage(64, 64, Enumerable.Repeat((byte)128, 64 * 64 * 3).ToArray());
        var random = new Random(3);
        var noise = new byte[64 * 64 * 3];
        random.NextBytes(noise);
        var a = ImageComplexity.Measure(flat);
        var b = ImageComplexity.Measure(new RgbImage(64, 64, noise));
        Assert.Equal(0, a.Entropy);
        Assert.Equal(0, a.TotalVariation);
        Assert.True(b.Entropy > 4 && b.TotalVariation > 100 && b.JpegKiB > 5 * a.JpegKiB);
    }

    [Fact]
    public void PearsonAndItsParametricPMatchScipy()
    {
        foreach (var c in JsonNode.Parse(File.ReadAllText(Fixtures.Path("metrics", "complexity.json")))!["pearson"]!.AsArray())
        {
            var x = c!["x"]!.AsArray().Select(v => (double)v!).ToArray();
            var y = c["y"]!.AsArray().Select(v => (double)v!).ToArray();
            double r = Correlation.Pearson(x, y);
            Assert.Equal((double)c["r"]!, r, 1e-12);
            Assert.Equal((double)c["p"]!, Correlation.ParametricP(r, x.Length), 1e-9);
        }
        Assert.True(double.IsNaN(Correlation.ParametricP(0.5, 2)));
        Assert.Equal(0, Correlation.ParametricP(-1, 10));
    }
}
