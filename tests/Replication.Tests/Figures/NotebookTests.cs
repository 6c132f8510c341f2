using Replication.Figures;

namespace Replication.Tests.Figures;

/// <summary>Every notebook runs headless in the real kernel with its small defaults; every figure has a notebook and a CLI twin.</summary>
[Collection(nameof(NotebookCollection))]
public class NotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(NotebookRunner.NotebooksFolder, "*.ipynb").Order()) data.Add(Path.GetFileName(f));
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Notebooks))]
    public void NotebookRunsWithoutErrorsAndShowsItsCharts(string notebook)
    {
        NotebookRunner.RequirePackagesFor(notebook);
        var outputs = NotebookRunner.Execute(notebook);
        var errors = outputs.Where(o => o.Kind == "error").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"cell {e.Cell}: {e.Text}")));
        // a chart is a Plotly.NET div and its render call; the first one of the session carries plotly.js inline
        var charts = outputs.Where(o => o.Kind == "text/html" && o.Text.Contains("renderPlotly_")).ToList();
        Assert.NotEmpty(charts);
        Assert.Contains("Plotly.newPlot", charts[0].Text);
        Assert.True(charts[0].Text.Length > 1_000_000, "the first chart should carry plotly.js so the notebook renders offline");
        // every cell that asks for a chart got one
        string[] chartCalls = ["Histograms(", "HeatMap(", "Scatter("];
        foreach (var cell in outputs.Select(o => (o.Cell, o.Source)).Distinct().Where(c => chartCalls.Any(c.Source.Contains)))
            Assert.Contains(charts, c => c.Cell == cell.Cell);
        // and each chart's static twin as an image/svg+xml output of the same cell, for viewers that strip HTML
        foreach (var chart in charts)
            Assert.Contains(outputs, o => o.Cell == chart.Cell && o.Kind == "image/svg+xml" && o.Text.StartsWith("<svg", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryNotebookHasAFigureAndEveryFigureANotebook()
    {
        var notebooks = Directory.GetFiles(NotebookRunner.NotebooksFolder, "*.ipynb").Select(Path.GetFileNameWithoutExtension).Order().ToList();
        Assert.Equal(FigureCatalog.All.Select(f => f.Id).Order(), notebooks);
    }

    [Fact]
    public void NotebookParametersEqualTheirCliTwinsDefaults()
    {
        foreach (var figure in FigureCatalog.All)
        {
            var nb = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(NotebookRunner.NotebooksFolder, figure.Id + ".ipynb")))!;
            var cell = nb["cells"]!.AsArray().Select(c => string.Concat(c!["source"]!.AsArray().Select(x => (string?)x)))
                .First(src => src.Contains("Parameters", StringComparison.Ordinal) && src.Contains("Validate()", StringComparison.Ordinal));
            var defaults = figure.DefaultParameters;
            int compared = 0;
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(cell, @"^\s*(\w+)\s*=\s*(.+?),?\s*$", System.Text.RegularExpressions.RegexOptions.Multiline))
            {
                var property = defaults.GetType().GetProperty(m.Groups[1].Value);
                if (property is null) continue;
                string expected = Convert.ToString(property.GetValue(defaults), System.Globalization.CultureInfo.InvariantCulture) ?? "";
                string written = m.Groups[2].Value.Trim().Trim('"');
                Assert.True(expected == written, $"{figure.Id}: the notebook sets {m.Groups[1].Value} = {written}, its CLI twin's default is {expected}");
                compared++;
            }
            Assert.True(compared > 0, $"{figure.Id}: no parameters found in the notebook");
        }
    }

    [Fact]
    public void CommittedNotebooksCarryTheOutputsOfARealRun()
    {
        foreach (var nb in Directory.GetFiles(NotebookRunner.NotebooksFolder, "*.ipynb"))
        {
            var outputs = NotebookRunner.ReadOutputs(nb);
            Assert.DoesNotContain(outputs, o => o.Kind == "error");
            // fit to commit (notebooks/normalize.py): cell ids, no machine paths
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(nb))!;
            Assert.All(json["cells"]!.AsArray(), c => Assert.False(string.IsNullOrEmpty((string?)c!["id"]), $"{nb}: a cell has no id"));
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            // no path of this machine in any output: the home folder, the checkout's location, the temp folder
            string[] machine = [home + "/", Fixtures.RepositoryRoot() + "/", Path.GetTempPath()];
            foreach (var m in machine.Where(m => m.Length > 2))
                Assert.DoesNotContain(outputs, o => o.Text.Contains(m, StringComparison.Ordinal));
            Assert.Contains(outputs, o => o.Kind == "text/html" && o.Text.Contains("renderPlotly_"));
            // headings render as written: a heading's trailing '#' is read as a closing sequence ("C#" showed as "C", and an
            // escaped "C\\#" as "C\\" in nbconvert): no heading may end with '#' 
            foreach (var cell in json["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "markdown"))
                foreach (var line in string.Concat(cell!["source"]!.AsArray().Select(x => (string?)x)).Split('\n'))
                    Assert.False(System.Text.RegularExpressions.Regex.IsMatch(line, @"^#+ .*#\s*$"), $"{nb}: heading '{line}' ends with '#', which Markdown drops; reword it");
        }
    }

    [Fact]
    public void ANonsenseParameterStopsAtTheParametersCellWithOneClearMessage()
    {
        var source = Path.Combine(NotebookRunner.NotebooksFolder, "00-quickstart.ipynb");
        var copy = Path.Combine(NotebookRunner.NotebooksFolder, $".test-bad-parameter-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(copy, File.ReadAllText(source).Replace("Model = \\\"copy-detector\\\"", "Model = \\\"no-such-model\\\""));
        try
        {
            var outputs = NotebookRunner.Execute(copy);
            var first = outputs.First(o => o.Kind == "error");
            Assert.Contains("Validate()", first.Source);
            Assert.Contains("FigureParameterException", first.Text);
            Assert.Contains("Model = \"no-such-model\"", first.Text);
            // the message comes first, and the innermost frame is the validation itself, not something deep inside
            var lines = first.Text.Split('\n');
            Assert.DoesNotContain("   at ", lines[0]);
            Assert.Contains("QuickstartFigure.Parameters.Validate()", lines[1]);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Notebooks))]
    public void CliTwinWritesTheSameFigures(string notebook)
    {
        NotebookRunner.RequirePackagesFor(notebook);
        var id = Path.GetFileNameWithoutExtension(notebook);
        var dir = Fixtures.TempFolder();
        string[] small = id switch // as the notebook test (NotebookRunner.ForTest)
        {
            "02-training-size-sweep" => ["--count", "12", "--steps", "10", "--models", "pixels", "--denoisers",
                string.Join(",", new[] { 16, 64 }.Select(Replication.Figures.TrainingSizeSweepFigure.GlyphModel))],
            "03-per-class-study" => ["--per-class", "4", "--steps", "10", "--model", "pixels"],
            "04-stable-diffusion-case-study" => ["--training", "120", "--samples-per-shard", "40", "--held-out", "40", "--prompts", "40", "--per-variant", "6",
                "--generations", "16", "--duplication-steps", "5", "--duplication-models", "pixels", "--model", "pixels"],
            _ => [],
        };
        var r = Cli.CliRunner.Run(["figures", id, "--work-folder", Path.Combine(dir, "work"), "--out", Path.Combine(dir, "fig"), .. small]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var index = File.ReadAllText(Path.Combine(dir, "fig", "index.html"));
        Assert.Contains("renderPlotly_", index);
        Assert.Contains("Plotly.newPlot", index);
        foreach (var svg in Directory.GetFiles(Path.Combine(dir, "fig"), "*.svg"))
            Assert.StartsWith("<svg", File.ReadAllText(svg));
    }
}

[CollectionDefinition(nameof(NotebookCollection), DisableParallelization = true)]
public class NotebookCollection;
