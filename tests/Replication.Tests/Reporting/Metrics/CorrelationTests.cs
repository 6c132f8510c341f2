using Replication.Reporting.Metrics;

namespace Replication.Tests.Reporting.Metrics;

public class CorrelationTests
{
    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
                yield return [items[i], .. rest];
    }

    /// <summary>The exact two-sided permutation p by enumerating all n! pairings (the reference the Monte Carlo estimate approaches).</summary>
    private static double ExactP(double[] x, double[] y)
    {
        double observed = Math.Abs(Correlation.Pearson(x, y));
        int n = 0, atLeast = 0;
        foreach (var perm in Permutations(Enumerable.Range(0, y.Length).ToArray()))
        {
            n++;
            if (Math.Abs(Correlation.Pearson(x, perm.Select(i => y[i]).ToArray())) >= observed - 1e-12) atLeast++;
        }
        return (double)atLeast / n;
    }

    [Fact]
    public void PermutationPApproachesTheExactEnumeration()
    {
        double[] x = [0.1, 0.4, 0.35, 0.8, 0.55, 0.9, 0.2], y = [0.3, 0.2, 0.5, 0.7, 0.4, 0.6, 0.45];
        double exact = ExactP(x, y);
        Assert.InRange(exact, 0.05, 0.5); // a case where the estimate is not trivially 0 or 1
        double p = Correlation.PermutationP(x, y, 20000, seed: 1);
        Assert.Equal(exact, p, 0.012); // binomial sd at 20,000 draws is ≤ 0.0035
        Assert.Equal(p, Correlation.PermutationP(x, y, 20000, seed: 1));
        Assert.NotEqual(p, Correlation.PermutationP(x, y, 20000, seed: 2));
    }

    [Fact]
    public void PermutationPOfAPerfectRankingIsNearItsFloor()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], y = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20];
        // exactly 2 of 10! pairings reach |r| = 1: the estimate is (1 + hits) / (1 + 999) with hits almost surely 0
        Assert.Equal(1.0 / 1000, Correlation.PermutationP(x, y, 999), 12);
        Assert.True(double.IsNaN(Correlation.PermutationP([1, 2], [1, 2], 10)));
        Assert.True(double.IsNaN(Correlation.PermutationP([1, 1, 1], [1, 2, 3], 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Correlation.PermutationP(x, y, 0));
    }

    [Fact]
    public void LeaveOneOutIsPearsonOverTheOthers()
    {
        double[] x = [1, 2, 3, 4, 10], y = [1.1, 1.9, 3.2, 3.9, -5];
        var loo = Correlation.LeaveOneOut(x, y);
        Assert.Equal(5, loo.Length);
        for (int i = 0; i < 5; i++)
            Assert.Equal(Correlation.Pearson(x.Where((_, j) => j != i).ToArray(), y.Where((_, j) => j != i).ToArray()), loo[i], 12);
        Assert.True(Correlation.Pearson(x, y) < 0 && loo[4] > 0.99); // one point carries the sign
    }
}
