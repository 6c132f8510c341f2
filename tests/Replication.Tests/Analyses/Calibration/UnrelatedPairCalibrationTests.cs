using Replication.Analyses.Calibration;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Tests.Analyses.Calibration;

public class UnrelatedPairCalibrationTests
{
    private static (float[] Rows, string[] Ids, string[] Labels) Random(int n, int d, int groups, int seed)
    {
        var rng = new Random(seed);
        var rows = new float[n * d];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)(rng.NextDouble() * 2 - 1);
        var ids = Enumerable.Range(0, n).Select(i => $"img{i}").ToArray();
        // two kinds of group per image, as the calibration manifest has: a family and a near-duplicate group
        var labels = Enumerable.Range(0, n).Select(i => $"family:{i % groups};dup:{i / 3}").ToArray();
        return (rows, ids, labels);
    }

    /// <summary>The scalar reference: every pair scored with <see cref="PairScore"/>, related pairs (sharing any group) left out,
    /// sorted, the threshold read off at floor(e·P).</summary>
    private static (long Pairs, double[] Descending) Reference(float[] rows, string[] labels, int d, Similarity similarity)
    {
        int n = labels.Length;
        var groups = labels.Select(l => l.Split(';').ToHashSet()).ToArray();
        var scores = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (!groups[i].Overlaps(groups[j]))
                    scores.Add(PairScore.Score(similarity, rows.AsSpan(i * d, d), rows.AsSpan(j * d, d)));
        return (scores.Count, scores.OrderDescending().ToArray());
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.003)]
    public void TheThresholdIsTheExactQuantileOfTheUnrelatedPairs(double exceedance)
    {
        const int n = 160, d = 24;
        var (rows, ids, labels) = Random(n, d, 7, 1);
        var result = UnrelatedPairCalibration.Calibrate(new InMemoryVectors(rows, d), ids, labels, Similarity.InnerProduct, exceedance, "m");
        var (pairs, descending) = Reference(rows, labels, d, Similarity.InnerProduct);
        Assert.Equal(pairs, result.Pairs);
        long m = (long)Math.Floor(exceedance * pairs);
        Assert.Equal(descending[m], result.Chosen.Threshold, 5);
        Assert.Equal(descending.Count(s => s > descending[m] + 1e-6), result.Chosen.Above);
        Assert.True(result.Chosen.Above <= m);
        Assert.Equal(descending[0], result.Highest[0].Score, 5);
        Assert.Equal(UnrelatedPairCalibration.HighestListed, result.Highest.Count);
        Assert.True(result.Highest.Zip(result.Highest.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        var related = labels.Select(l => l.Split(';').ToHashSet()).ToArray();
        foreach (var p in result.Highest)
            Assert.False(related[int.Parse(p.First[3..])].Overlaps(related[int.Parse(p.Second[3..])]));
    }

    [Fact]
    public void SplitProductIsScoredAsThePairScoreScoresIt()
    {
        const int n = 90, d = 16;
        var (rows, ids, labels) = Random(n, d, 5, 2);
        var split = Similarity.SplitProduct(4);
        var result = UnrelatedPairCalibration.Calibrate(new InMemoryVectors(rows, d), ids, labels, split, 0.01);
        var (pairs, descending) = Reference(rows, labels, d, split);
        Assert.Equal(descending[(long)Math.Floor(0.01 * pairs)], result.Chosen.Threshold, 5);
    }

    [Fact]
    public void TooFewPairsAboveTheThresholdIsRefusedWithTheSmallestUsableExceedance()
    {
        var (rows, ids, labels) = Random(30, 8, 5, 3);
        var e = Assert.Throws<ParameterException>(() => UnrelatedPairCalibration.Calibrate(new InMemoryVectors(rows, 8), ids, labels, Similarity.InnerProduct, 1e-4));
        Assert.Equal("Exceedance", e.Parameter);
        Assert.Contains("at least 10", e.Message);
    }

    [Fact]
    public void AnExceedanceAboveTheLimitIsRefused()
    {
        var (rows, ids, labels) = Random(30, 8, 5, 6);
        Assert.Equal("Exceedance", Assert.Throws<ParameterException>(() => UnrelatedPairCalibration.Calibrate(new InMemoryVectors(rows, 8), ids, labels, Similarity.InnerProduct, 0.2)).Parameter);
    }

    [Fact]
    public void OneGroupOrAnUnlabelledImageIsRefusedNamingIt()
    {
        var (rows, ids, _) = Random(30, 8, 5, 4);
        Assert.Throws<InputDataException>(() => UnrelatedPairCalibration.Calibrate(new InMemoryVectors(rows, 8), ids, ids.Select(_ => "all").ToArray(), Similarity.InnerProduct, 0.05));
        var labels = ids.Select(i => i == "img7" ? " ; " : "g" + i).ToArray();
        var e = Assert.Throws<InputDataException>(() => UnrelatedPairCalibration.Calibrate(new InMemoryVectors(rows, 8), ids, labels, Similarity.InnerProduct, 0.05));
        Assert.StartsWith("img7:", e.Message);
    }

    [Fact]
    public void TheCardCalibrationCarriesTheChosenPointAndTheFalseFlagRateFollowsFromIt()
    {
        var (rows, ids, labels) = Random(120, 12, 6, 5);
        var result = UnrelatedPairCalibration.Calibrate(new InMemoryVectors(rows, 12), ids, labels, Similarity.InnerProduct, 0.01);
        var card = result.ToCard();
        Assert.Equal(0.01, card.Exceedance);
        Assert.Equal(result.Pairs, card.Pairs);
        Assert.True(card.Threshold >= result.Chosen.Threshold && card.Threshold - result.Chosen.Threshold < 1e-4); // rounded up to 4 places
        Assert.Equal(1 - Math.Pow(0.99, 300), card.FalseFlagProbability(300), 12);
        Assert.Equal(0, card.FalseFlagProbability(0));
    }
}
