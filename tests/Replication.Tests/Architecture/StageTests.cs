using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Replication.Tests.Architecture;

/// <summary>
/// The library's namespaces are the pipeline's stages, lowest first (README, "Layout"): a stage may use the stages below it and
/// the root namespace (the error types), never one above it, and no two namespaces use each other, directly or around a cycle.
/// </summary>
public class StageTests
{
    /// <summary>The stages in pipeline order; every namespace of the library but the root lies in exactly one.</summary>
    public static readonly string[] Stages = ["Core", "Images", "Embeddings", "Search", "Data", "Reporting", "Analyses", "Figures"];

    private static readonly System.Reflection.Assembly LibraryAssembly = typeof(global::Replication.Core.SeededPermutation).Assembly;
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Library =
        new(() => new ArchLoader().LoadAssemblies(LibraryAssembly).Build());

    public static TheoryData<string> StageNames() => new(Stages);

    [Theory]
    [MemberData(nameof(StageNames))]
    public void AStageUsesNoStageAboveIt(string stage)
    {
        var above = Stages.SkipWhile(s => s != stage).Skip(1).ToArray();
        if (above.Length == 0) return; // the top stage may use every other
        var rule = Types().That().ResideInNamespaceOrBelow($"Replication.{stage}")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching($@"^Replication\.({string.Join('|', above)})(\..+)?$"));
        rule.Check(Library.Value);
    }

    [Fact]
    public void TheRootNamespaceUsesNoStage() =>
        Types().That().ResideInNamespaceMatching("^Replication$")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^Replication\..+$")).Check(Library.Value);

    [Fact]
    public void NoTwoNamespacesDependOnEachOther() =>
        SliceRuleDefinition.Slices().Matching("Replication.(**)").Should().BeFreeOfCycles().Check(Library.Value);

    [Fact]
    public void EveryNamespaceLiesInAStage()
    {
        var outside = LibraryAssembly.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(n => n.StartsWith("Replication.", StringComparison.Ordinal)) // not the root, not compiler-generated helpers
            .Where(n => !Stages.Any(s => n == $"Replication.{s}" || n.StartsWith($"Replication.{s}.", StringComparison.Ordinal)))
            .Distinct().ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void EveryFolderOfTheLibraryIsAStage()
    {
        var folders = Directory.GetDirectories(Path.Combine(Fixtures.RepositoryRoot(), "src", "Replication"))
            .Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Stages.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void TheRuleSeesDependencies()
    {
        // The same rule read upside down must fail: figures use the core, so "the core is above the figures" is violated.
        var upsideDown = Types().That().ResideInNamespaceOrBelow("Replication.Figures")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceOrBelow("Replication.Core"));
        Assert.False(upsideDown.HasNoViolations(Library.Value));
    }
}
