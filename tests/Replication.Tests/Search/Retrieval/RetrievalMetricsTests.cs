using System.Text.Json.Nodes;
using Replication.Search.Retrieval;

namespace Replication.Tests.Search.Retrieval;

public class RetrievalMetricsTests
{
    [Fact]
    public void AveragePrecisionByTheTrapezoidRuleMatchesHandComputedCases()
    {
        // positives at ranks 0 and 2 of 2: (1 + 1)/2·½ + (½ + ⅔)/2·½ = 0.5 + 0.291666…
        Assert.Equal(0.5 + (0.5 + 2.0 / 3) / 4, RetrievalMetrics.AveragePrecision([0, 2], 2), 12);
        // one of two positives found, at rank 1: (0/1 + 1/2)/2 · ½ = 0.125
        Assert.Equal(0.125, RetrievalMetrics.AveragePrecision([1], 2), 12);
        Assert.Equal(1.0, RetrievalMetrics.AveragePrecision([0, 1, 2], 3), 12);
        Assert.True(double.IsNaN(RetrievalMetrics.AveragePrecision([], 0)));
    }

    [Fact]
    public void JunkIsRemovedBeforeRanking()
    {
        var truth = new QueryGroundTruth(0, Ok: [7], Junk: [3, 4]);
        // 3 and 4 are junk, so 7 moves from rank 2 to rank 0
        Assert.Equal([0L], RetrievalMetrics.PositiveRanks([3, 4, 7, 1], truth));
        var scores = RetrievalMetrics.Evaluate([new RankedList(0, [3, 4, 7, 1], [0.9f, 0.8f, 0.7f, 0.1f])], [truth]);
        Assert.Equal(1.0, scores.MeanAveragePrecision, 12);
        Assert.Equal(1.0, scores.MeanReciprocalRank, 12);
        Assert.Equal(1.0 / 3, scores.DcrMeanReciprocalRank, 12); // DCR takes the position before junk removal
        Assert.Equal(1.0, scores.MicroAveragePrecision, 12);
    }

    [Fact]
    public void MatchesTheNumpyReferenceOnRandomRankings()
    {
        var json = JsonNode.Parse(File.ReadAllText(Fixtures.Path("metrics", "reference.json")))!;
        var truth = new List<QueryGroundTruth>();
        var lists = new List<RankedList>();
        foreach (var c in json["cases"]!.AsArray())
        {
            int q = (int)c!["query"]!;
            truth.Add(new QueryGroundTruth(q, c["ok"]!.AsArray().Select(x => (long)x!).ToArray(), c["junk"]!.AsArray().Select(x => (long)x!).ToArray()));
            lists.Add(new RankedList(q, c["ranking"]!.AsArray().Select(x => (long)x!).ToArray(), c["scores"]!.AsArray().Select(x => (float)(double)x!).ToArray()));
        }
        var expected = json["expected"]!;
        var s = RetrievalMetrics.Evaluate(lists, truth, [1, 5, 10]);
        Assert.Equal((int)expected["queries_with_positives"]!, s.QueriesWithPositives);
        var aps = expected["ap"]!.AsArray();
        for (int i = 0; i < aps.Count; i++)
        {
            if (aps[i] is null) Assert.True(double.IsNaN(s.AveragePrecisionPerQuery[i]));
            else Assert.Equal((double)aps[i]!, s.AveragePrecisionPerQuery[i], 10);
        }
        Assert.Equal((double)expected["map"]!, s.MeanAveragePrecision, 10);
        Assert.Equal((double)expected["mrr"]!, s.MeanReciprocalRank, 10);
        Assert.Equal((double)expected["micro_ap"]!, s.MicroAveragePrecision, 10);
        foreach (var k in new[] { 1, 5, 10 })
        {
            Assert.Equal((double)expected["precision_at"]![k.ToString()]!, s.PrecisionAt[k], 10);
            Assert.Equal((double)expected["recall_at"]![k.ToString()]!, s.RecallAt[k], 10);
        }
    }

    [Fact]
    public void RevisitopPrecisionOfATruncatedListCutsAtKNotAtTheLastListedPositive()
    {
        // positives at positions 0 and 49 of a 60-row gallery; the list holds the first 10 rows
        var truth = new QueryGroundTruth(0, Ok: [100, 149], Junk: []);
        var full = Enumerable.Range(0, 60).Select(i => (long)(i == 0 ? 100 : i == 49 ? 149 : 200 + i)).ToArray();
        var exact = RetrievalMetrics.Evaluate([new RankedList(0, full, new float[60])], [truth], [5]);
        var cut = RetrievalMetrics.Evaluate([new RankedList(0, full[..10], new float[10])], [truth], [5]);
        Assert.Equal(0.2, exact.RevisitopPrecisionAt[5], 12);  // official: kq = min(50, 5) = 5, one hit
        Assert.Equal(0.2, cut.RevisitopPrecisionAt[5], 12);    // not 1.0 (kq = the last listed positive's 1)
        Assert.True(cut.IsLowerBound);
        Assert.True(cut.MeanAveragePrecision < exact.MeanAveragePrecision);
    }

    [Fact]
    public void GroundTruthFileRoundTripsAndRejectsBadFiles()
    {
        var dir = Fixtures.TempFolder();
        var path = Path.Combine(dir, "gt.json");
        GroundTruthFile.Write(path, [new QueryGroundTruth(0, [1, 2], []), new QueryGroundTruth(1, [], [0])]);
        var back = GroundTruthFile.Read(path);
        Assert.Equal([1L, 2L], back[0].Ok);
        Assert.Equal([0L], back[1].Junk);
        File.WriteAllText(path, "{\"not\": \"a list\"}");
        Assert.Contains("gt.json", Assert.Throws<InputDataException>(() => GroundTruthFile.Read(path)).Message);
        File.WriteAllText(path, "[{\"query\": 0, \"ok\": [1]}]");
        Assert.Contains("'junk'", Assert.Throws<InputDataException>(() => GroundTruthFile.Read(path)).Message);
    }
}
