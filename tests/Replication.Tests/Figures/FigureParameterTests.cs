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
        Assert.Equal(0.8, p.Threshold);
        Assert.Contains("--max-sources", Assert.Throws<FigureParameterException>(() =>
            FigureParameterBinder.Bind(new QuickstartFigure.Parameters(), new Dictionary<string, string> { ["nope"] = "1" })).Message);
        Assert.Contains("not a valid", Assert.Throws<FigureParameterException>(() =>
            FigureParameterBinder.Bind(new QuickstartFigure.Parameters(), new Dictionary<string, string> { ["threshold"] = "high" })).Message);
    }

    [Fact]
    public void ValidateNamesTheParameterThatMakesNoSense()
    {
        Assert.Contains("Sources", Assert.Throws<FigureParameterException>(() => new QuickstartFigure.Parameters { Sources = "/no/such/folder" }.Validate()).Message);
        Assert.Contains("Model", Assert.Throws<FigureParameterException>(() => new QuickstartFigure.Parameters { Model = "vgg99" }.Validate()).Message);
        Assert.Contains("Threshold", Assert.Throws<FigureParameterException>(() => new QuickstartFigure.Parameters { Threshold = 2 }.Validate()).Message);
        new QuickstartFigure.Parameters().Validate();
    }
}
