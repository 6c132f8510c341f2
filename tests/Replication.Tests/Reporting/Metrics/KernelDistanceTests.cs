using System.Text.Json;
using Replication.Core.Vectors;
using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Metrics;

public class KernelDistanceTests
{
    private static float[] Rows(string name) => Fixtures.ReadNpyFloats(Fixtures.Path("metrics", name));

    private static double Expected(string key) =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path("metrics", "kid.json"))).RootElement.GetProperty(key).GetDouble();

    [Fact]
    public void TheUnbiasedEstimateMatchesTheDefinitionInNumpy()
    {
        // make_kid.py: (x·y/d + 1)^3, diagonals left out, sets of 300 and 200 rows of 16 dimensions
        double kid = KernelDistance.UnbiasedScalar(Rows("frechet_a.npy"), 300, Rows("frechet_b.npy"), 200, 16);
        Assert.Equal(Expected("all"), kid, 1e-9 * Math.Abs(Expected("all")));
    }

    [Fact]
    public void TheSimdPathEqualsTheScalarPath()
    {
        // 40-dimensional rows (not a multiple of a vector width): a's 300 × 16 floats as 120 rows of 40, b's 200 × 16 as 80
        var a = Rows("frechet_a.npy");
        var b = Rows("frechet_b.npy");
        double simd = KernelDistance.Unbiased(a, 120, b, 80, 40);
        double scalar = KernelDistance.UnbiasedScalar(a, 120, b, 80, 40);
        Assert.Equal(scalar, simd, 1e-5 * Math.Max(1, Math.Abs(scalar)));
    }

    [Fact]
    public void EqualSizedSubsetsMatchTorchFidelitysFormulaWhateverTheirOrder()
    {
        // every subset of 200 from sets of 200 is a permutation of the whole set: each equals the reference, sd 0
        var a = new InMemoryVectors(Rows("frechet_a.npy")[..(200 * 16)], 16);
        var b = new InMemoryVectors(Rows("frechet_b.npy"), 16);
        var estimate = KernelDistance.Estimate(a, b, subsets: 3, subsetSize: 1000);
        Assert.Equal(200, estimate.SubsetSize);
        Assert.Equal(Expected("first200"), estimate.Mean, 1e-6 * Math.Abs(Expected("first200"))); // float dot products
        Assert.Equal(0, estimate.StandardDeviation, 1e-9);
    }

    [Fact]
    public void TwoSamplesOfOneDistributionScoreNearZeroAndOthersFarFromIt()
    {
        var all = Rows("frechet_a.npy");
        var first = new InMemoryVectors(all[..(150 * 16)], 16);
        var second = new InMemoryVectors(all[(150 * 16)..], 16);
        var other = new InMemoryVectors(Rows("frechet_b.npy"), 16);
        var same = KernelDistance.Estimate(first, second, subsets: 20, subsetSize: 100, seed: 3);
        var different = KernelDistance.Estimate(first, other, subsets: 20, subsetSize: 100, seed: 3);
        Assert.True(Math.Abs(same.Mean) < 3 * same.StandardDeviation + 0.05, same.Describe());
        Assert.True(different.Mean > 50 * Math.Max(Math.Abs(same.Mean), same.StandardDeviation), $"{different.Describe()} vs {same.Describe()}");
        Assert.Equal(same, KernelDistance.Estimate(first, second, subsets: 20, subsetSize: 100, seed: 3));
        Assert.NotEqual(same.Mean, KernelDistance.Estimate(first, second, subsets: 20, subsetSize: 100, seed: 4).Mean);
    }

    [Fact]
    public void RefusesMismatchedOrTooSmallSets()
    {
        var a = new InMemoryVectors(new float[8], 4);
        Assert.Throws<ArgumentException>(() => KernelDistance.Estimate(a, new InMemoryVectors(new float[9], 3)));
        Assert.Throws<ArgumentException>(() => KernelDistance.Estimate(a, new InMemoryVectors(new float[4], 4)));
    }
}
