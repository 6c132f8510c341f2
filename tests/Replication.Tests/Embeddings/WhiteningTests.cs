using System.Text.Json.Nodes;
using Replication.Embeddings;
using Replication.Core.Vectors;

namespace Replication.Tests.Embeddings;

public class WhiteningTests
{
    private static readonly JsonNode Json = JsonNode.Parse(File.ReadAllText(Fixtures.Path("metrics", "calibration.json")))!;

    private static (float[] Data, int Rows, int Dim) Case(string name)
    {
        var c = Json[name]!;
        return (c["data"]!.AsArray().Select(v => (float)(double)v!).ToArray(), (int)c["rows"]!, (int)c["dim"]!);
    }

    /// <summary>Covariance of the transformed rows (population, centred).</summary>
    private static double[,] Covariance(float[] rows, int n, int d)
    {
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += rows[i * d + j] / (double)n;
        var c = new double[d, d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) c[a, b] += (rows[i * d + a] - mean[a]) * (rows[i * d + b] - mean[b]) / n;
        return c;
    }

    [Theory]
    [InlineData("lw_few")]
    [InlineData("lw_many")]
    public void ShrinkageMatchesTheLedoitWolfFormula(string name)
    {
        var (data, n, d) = Case(name);
        var w = Whitening.Fit(new InMemoryVectors(data, d), WhiteningMode.WhitenShrunk);
        Assert.Equal((double)Json[name]!["shrinkage"]!, w.Shrinkage, 6);
        // whitened rows have covariance W'·S·W, which is the identity only without shrinkage; with it, the shrunk
        // covariance maps to the identity: check W'·Σ_LW·W = I
        var sigma = Json[name]!["covariance"]!.AsArray().Select(v => (double)v!).ToArray();
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double sum = 0;
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) sum += w.ProjectionT![a * d + i] * sigma[i * d + j] * w.ProjectionT![b * d + j];
                Assert.Equal(a == b ? 1.0 : 0.0, sum, 3);
            }
    }

    [Fact]
    public void SampleWhiteningGivesIdentityCovarianceAndRefusesTooFewRows()
    {
        var (data, n, d) = Case("lw_many");
        var w = Whitening.Fit(new InMemoryVectors(data, d), WhiteningMode.Whiten);
        var rows = (float[])data.Clone();
        w.Apply(rows);
        var c = Covariance(rows, n, d);
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) Assert.Equal(a == b ? 1.0 : 0.0, c[a, b], 3);
        var (few, fn, fd) = Case("lw_few");
        var e = Assert.ThrowsAny<UsageException>(() => Whitening.Fit(new InMemoryVectors(few, fd), WhiteningMode.Whiten));
        Assert.Contains("whiten-shrunk", e.Message);
        Assert.Null(Whitening.Refusal(WhiteningMode.WhitenShrunk, fn, fd, chunked: false));
        Assert.Contains("vector embeddings", Whitening.Refusal(WhiteningMode.Center, 100, 8, chunked: true));
    }

    [Fact]
    public void SavedWhiteningLoadsAndTransformsTheSame()
    {
        var (data, _, d) = Case("lw_many");
        var folder = Fixtures.TempFolder();
        foreach (var mode in new[] { WhiteningMode.Center, WhiteningMode.WhitenShrunk })
        {
            var w = Whitening.Fit(new InMemoryVectors(data, d), mode);
            w.Save(folder);
            var back = Whitening.Load(folder);
            Assert.Equal(mode, back.Mode);
            var a = data[..(3 * d)];
            var b = (float[])a.Clone();
            w.Apply(a);
            back.Apply(b);
            Assert.Equal(a, b);
            var wrapped = new float[2 * d];
            back.Wrap(new InMemoryVectors(data, d)).ReadRows(0, 2, wrapped);
            Assert.Equal(a[..(2 * d)], wrapped);
        }
    }
}
