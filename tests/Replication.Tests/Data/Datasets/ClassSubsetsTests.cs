using Replication.Core;
using Replication.Data.Datasets;
using Replication.Images;

namespace Replication.Tests.Data.Datasets;

public class ClassSubsetsTests
{
    private static List<ImageRecord> Records(params (string Label, int Count)[] classes) =>
        classes.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => new ImageRecord($"{c.Label}/{i:000}.jpg", $"/data/{c.Label}/{i:000}.jpg", $"{c.Label}/{i:000}.jpg", Label: c.Label)))
            .ToList();

    [Fact]
    public void LargestClassesOfTheFlowersFixtureBreakTheTieByClassNumber()
    {
        var flowers = Flowers102.Load(Fixtures.Path("datasets", "flowers102"));
        var top2 = ClassSubsets.Largest(flowers, 2);
        Assert.Equal([new ClassCount("005", 4), new ClassCount("003", 3)], top2.Classes); // 003 and 012 both have 3
        Assert.True(top2.TieAtCut);
        Assert.Equal([1, 2, 4, 6, 9, 11, 14], top2.Images.Select(r => int.Parse(r.Id[6..11])));  // input (file-name) order
        Assert.Equal("005: 4, 003: 3 (2 classes, 7 images); the last class was chosen over an equally large one by label order", top2.Summary);

        var top3 = ClassSubsets.Largest(flowers, 3);
        Assert.Equal(["005", "003", "012"], top3.Classes.Select(c => c.Label));
        Assert.False(top3.TieAtCut);
        Assert.Equal(10, top3.Images.Count);
    }

    [Fact]
    public void CountsAreDescendingWithTiesInOrdinalLabelOrder()
    {
        // ordinal, not numeric: "12" < "3" (why Flowers102 zero-pads its labels)
        var records = Records(("3", 2), ("b", 5), ("12", 2), ("a", 5), ("Z", 1));
        Assert.Equal([new ClassCount("a", 5), new ClassCount("b", 5), new ClassCount("12", 2), new ClassCount("3", 2), new ClassCount("Z", 1)],
            ClassSubsets.Counts(records));
        var top3 = ClassSubsets.Largest(records, 3);
        Assert.Equal(["a", "b", "12"], top3.Classes.Select(c => c.Label));
        Assert.True(top3.TieAtCut);
        Assert.False(ClassSubsets.Largest(records, 5).TieAtCut);
        Assert.Equal(["b", "a"], ClassSubsets.Largest(records, 2).Images.Select(r => r.Label).Distinct()); // input order kept
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var records = Records(("a", 2), ("b", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassSubsets.Largest(records, 0));
        Assert.Contains("only 2 classes", Assert.Throws<ArgumentOutOfRangeException>(() => ClassSubsets.Largest(records, 3)).Message);
        records.Add(new ImageRecord("x.jpg", "/data/x.jpg", "x.jpg"));
        var e = Assert.Throws<ArgumentException>(() => ClassSubsets.Largest(records, 1));
        Assert.Contains("/data/x.jpg: record 'x.jpg' has no label", e.Message);
        records[^1] = records[^1] with { Refused = "cannot be opened" }; // refused records are left out, label or not
        Assert.Equal(3, ClassSubsets.Largest(records, 2).Images.Count);
    }

    [Fact]
    public void NestedPerClassSubsetsArePrefixesOfSeededPermutations()
    {
        var records = Records(("a", 30), ("b", 12), ("c", 20));
        var plan = ClassSubsets.NestedPerClass(records, seed: 7);
        Assert.Equal(["a", "b", "c"], plan.Classes.Select(c => c.Label));
        Assert.Equal(12, plan.MaxPerClass);
        foreach (var c in plan.Classes)
        {
            var own = records.Where(r => r.Label == c.Label).ToList();
            var expected = SeededPermutation.Create(own.Count, ClassSubsets.ClassSeed(7, c.Label)).Select(i => own[i]);
            Assert.Equal(expected, plan.Orders[c.Label]);
            Assert.Equal(own.OrderBy(r => r.Id), plan.Orders[c.Label].OrderBy(r => r.Id)); // a permutation of the class
        }
        IReadOnlyList<ImageRecord>? previous = null;
        for (int n = 1; n <= plan.MaxPerClass; n++)
        {
            var subset = plan.Subset(n);
            Assert.Equal(3 * n, subset.Count);
            Assert.All(plan.Classes, c => Assert.Equal(plan.Orders[c.Label].Take(n), subset.Where(r => r.Label == c.Label)));
            if (previous != null) Assert.Subset(subset.ToHashSet(), previous.ToHashSet());
            previous = subset;
        }
        Assert.Contains("class 'b' has only 12 images", Assert.Throws<ArgumentOutOfRangeException>(() => plan.Subset(13)).Message);
    }

    [Fact]
    public void AClassOrderDependsOnItsSeedAndLabelOnly()
    {
        var records = Records(("a", 30), ("b", 12));
        var both = ClassSubsets.NestedPerClass(records, seed: 7);
        var alone = ClassSubsets.NestedPerClass(records.Where(r => r.Label == "a").ToList(), seed: 7);
        Assert.Equal(both.Orders["a"], alone.Orders["a"]);
        Assert.Equal(both.Orders["a"], ClassSubsets.NestedPerClass(records, seed: 7).Orders["a"]);
        Assert.NotEqual(both.Orders["a"], ClassSubsets.NestedPerClass(records, seed: 8).Orders["a"]);
        Assert.NotEqual(ClassSubsets.ClassSeed(7, "a"), ClassSubsets.ClassSeed(7, "b"));
        // pinned: FNV-1a 64 of the UTF-8 label, xor the seed, one SplitMix64 step (computed independently in Python)
        Assert.Equal(0xFD877FE2B107EF12UL, ClassSubsets.ClassSeed(7, "a"));
        Assert.Equal(0xE762840A91D64502UL, ClassSubsets.ClassSeed(0, "051"));
    }
}
