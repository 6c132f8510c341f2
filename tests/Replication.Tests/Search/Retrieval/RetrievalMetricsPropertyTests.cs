using CsCheck;
using Replication.Search.Retrieval;

namespace Replication.Tests.Search.Retrieval;

/// <summary>Properties of the ranking metrics (CsCheck; a failure prints the seed that reproduces it).</summary>
public class RetrievalMetricsPropertyTests
{
    /// <summary>Distinct ascending 0-based positions of the positives that were ranked, and the number of positives in all.</summary>
    private static readonly Gen<(long[] Positions, int Positives)> Ranking =
        Gen.Int[0, 60].Array[0, 20].Select(Gen.Int[0, 5], (p, extra) =>
        {
            var positions = p.Distinct().Order().Select(x => (long)x).ToArray();
            return (positions, positions.Length + extra);
        }).Where(t => t.Item2 > 0);

    [Fact]
    public void AveragePrecisionLiesInZeroToOneAndIsOneExactlyForAPerfectRanking()
    {
        Ranking.Sample(t =>
        {
            double ap = RetrievalMetrics.AveragePrecision(t.Positions, t.Positives);
            Assert.InRange(ap, 0, 1 + 1e-12);
            bool perfect = t.Positions.Length == t.Positives && t.Positions.Select((p, i) => p == i).All(x => x);
            Assert.Equal(perfect, Math.Abs(ap - 1) < 1e-12);
        }, iter: 2000);
    }

    [Fact]
    public void MovingAPositiveDownNeverRaisesAveragePrecision()
    {
        Ranking.Where(t => t.Positions.Length > 0).Select(Gen.Int[0, 19], (t, pick) => (t.Positions, t.Positives, Index: pick % t.Positions.Length)).Sample(t =>
        {
            var lower = (long[])t.Positions.Clone();
            // shift this positive and every later one down by one place: the order is kept, every position is one worse or equal
            for (int i = t.Index; i < lower.Length; i++) lower[i]++;
            Assert.True(RetrievalMetrics.AveragePrecision(lower, t.Positives) <= RetrievalMetrics.AveragePrecision(t.Positions, t.Positives) + 1e-12);
        }, iter: 2000);
    }

    [Fact]
    public void RemovingJunkNeverMovesAPositiveDownAndKeepsTheirOrder()
    {
        Gen.Int[0, 80].Array[0, 30].Select(Gen.Int[0, 80].Array[0, 30], (pos, junk) =>
        {
            var p = pos.Distinct().Order().Select(x => (long)x).ToArray();
            var j = junk.Distinct().Where(x => !p.Contains(x)).Order().Select(x => (long)x).ToArray();
            return (p, j);
        }).Sample(t =>
        {
            var result = RetrievalMetrics.WithoutJunk(t.p, t.j);
            for (int i = 0; i < result.Length; i++)
            {
                Assert.Equal(t.p[i] - t.j.Count(x => x < t.p[i]), result[i]);
                if (i > 0) Assert.True(result[i] > result[i - 1]);
            }
        }, iter: 1000);
    }
}
