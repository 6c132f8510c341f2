using Replication.Cli;
using Replication.Figures;

namespace Replication.Tests.Figures;

public class FigureParameterTests
{
    [Fact]
    public void BinderSetsKebabCaseParametersAndRejectsUnknownOnes()
    {
        var p = (QuickstartFigure.Parameters)FigureParameterBinder.Bind(new QuickstartFigure.Parameters(),
            new Dictionary<string, string> { ["replicas-per-kind"] = "3", ["threshold"] = "0.8", ["model"] = "resnet18" });
        Assert.Equal(3, p.ReplicasPerKind);
        Assert.Equal("0.8", p.Threshold);
        Assert.Equal(0.8, p.ThresholdPolicy.Fixed);
        Assert.Contains("--max-sources", Assert.ThrowsAny<UsageException>(() =>
            FigureParameterBinder.Bind(new QuickstartFigure.Parameters(), new Dictionary<string, string> { ["nope"] = "1" })).Message);
        Assert.Contains("not a valid", Assert.Throws<FigureParameterException>(() =>
            FigureParameterBinder.Bind(new QuickstartFigure.Parameters(), new Dictionary<string, string> { ["max-sources"] = "many" })).Message);
        var high = (QuickstartFigure.Parameters)FigureParameterBinder.Bind(new QuickstartFigure.Parameters(), new Dictionary<string, string> { ["threshold"] = "high" });
        Assert.Contains("neither auto, training, paper nor a number", Assert.Throws<FigureParameterException>(() => high.Validate()).Message);
    }

    [Fact]
    public void ValidateNamesTheParameterThatMakesNoSense()
    {
        Assert.Contains("Sources", Assert.Throws<FigureParameterException>(() => new QuickstartFigure.Parameters { Sources = "/no/such/folder" }.Validate()).Message);
        Assert.Contains("Model", Assert.Throws<FigureParameterException>(() => new QuickstartFigure.Parameters { Model = "vgg99" }.Validate()).Message);
        Assert.Contains("Threshold", Assert.Throws<FigureParameterException>(() => new QuickstartFigure.Parameters { Threshold = "2" }.Validate()).Message);
        new QuickstartFigure.Parameters().Validate();
    }

    [Fact]
    public void TheCliRendersAParametersProblemWithItsOption()
    {
        var e = Assert.Throws<FigureParameterException>(() => new QuickstartFigure.Parameters { Threshold = "2" }.Validate());
        Assert.StartsWith("Threshold = \"2\":", e.Message);
        Assert.StartsWith("--threshold 2:", ErrorReport.InOptions(e));
        var none = FigureParameterException.NoneOf("no datasets", "SyntheticSets", "ExtraDatasets");
        Assert.Equal("no datasets: give SyntheticSets or ExtraDatasets", none.Message);
        Assert.Equal("no datasets: give --synthetic-sets or --extra-datasets", ErrorReport.InOptions(none));
        var library = new ParameterException("TopK", 0, "must be at least 1");
        Assert.Equal("TopK = 0: must be at least 1", library.Message);
        Assert.Equal("--k 0: must be at least 1", ErrorReport.InOptions(library));
        Assert.Equal("--gallery-rows", OptionNames.For("GalleryRows"));
    }
}
