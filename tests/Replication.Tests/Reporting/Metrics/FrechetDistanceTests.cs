using System.Text.Json;
using Replication.Reporting.Metrics;
using Replication.Core.Vectors;

namespace Replication.Tests.Reporting.Metrics;

public class FrechetDistanceTests
{
    private static InMemoryVectors Load(string name, int dim) => new(Fixtures.ReadNpyFloats(Fixtures.Path("metrics", name)), dim);

    [Fact]
    public void MatchesPytorchFidsFormulaWithScipy()
    {
        // make_frechet.py: np.cov and scipy.linalg.sqrtm(Σ1 Σ2), as pytorch-fid computes it
        double expected = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("metrics", "frechet.json"))).RootElement.GetProperty("fd").GetDouble();
        double fd = FrechetDistance.Compute(Load("frechet_a.npy", 16), Load("frechet_b.npy", 16));
        Assert.Equal(expected, fd, 1e-6 * Math.Max(1, expected));
    }

    [Fact]
    public void IsZeroForASetAgainstItselfAndSymmetric()
    {
        var a = Load("frechet_a.npy", 16);
        var b = Load("frechet_b.npy", 16);
        Assert.Equal(0, FrechetDistance.Compute(a, a), 1e-9);
        Assert.Equal(FrechetDistance.Compute(a, b), FrechetDistance.Compute(b, a), 1e-8);
    }

    [Fact]
    public void StreamedCovarianceEqualsTheTwoPassFormula()
    {
        var a = Load("frechet_a.npy", 16);
        var (mean, cov) = FrechetDistance.MeanAndCovariance(a);
        var x = Fixtures.ReadNpyFloats(Fixtures.Path("metrics", "frechet_a.npy"));
        int n = 300;
        double m0 = Enumerable.Range(0, n).Average(i => (double)x[i * 16]);
        double c01 = Enumerable.Range(0, n).Sum(i => (x[i * 16] - m0) * (x[i * 16 + 1] - Enumerable.Range(0, n).Average(k => (double)x[k * 16 + 1]))) / (n - 1);
        Assert.Equal(m0, mean[0], 1e-9);
        Assert.Equal(c01, cov[0, 1], 1e-9);
    }
}
