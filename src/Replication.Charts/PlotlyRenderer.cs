using System.Text.Json;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Replication.Reporting.Charting;
using CsChart = Plotly.NET.CSharp.Chart;

namespace Replication.Charts;

/// <summary>
/// The entry point that <see cref="PlotlyCharts"/> calls inside the isolated load context: a chart spec as
/// JSON in, the chart's HTML out. Only strings cross the boundary.
/// </summary>
public static class PlotlyRenderer
{
    public static string Render(string specJson, string script)
    {
        var spec = JsonSerializer.Deserialize<ChartSpec>(specJson, PlotlyCharts.Json)
                   ?? throw new ArgumentException("empty chart spec");
        var chart = spec.Kind == ChartKind.Heatmap ? Heatmap(spec) : Xy(spec);
        string scriptTag = Enum.Parse<PlotlyScript>(script) switch
        {
            // define, module and exports are hidden from plotly.js's UMD header, so that it sets window.Plotly even in pages that
            // load require.js (classic Jupyter, nbconvert HTML), where it would otherwise register an anonymous AMD module
            PlotlyScript.Inline => "<script type=\"text/javascript\">(function (define, module, exports) {\n" + PlotlyJs.Value.Source + "\n}).call(window);</script>",
            PlotlyScript.Cdn => $"<script src=\"https://cdn.plot.ly/plotly-{PlotlyJs.Value.Version}.min.js\"></script>",
            _ => "",
        };
        return scriptTag + GenericChart.toChartHTML(chart);
    }

    /// <summary>The plotly.js that Plotly.NET ships as an embedded resource, and its version.</summary>
    private static readonly Lazy<(string Source, string Version)> PlotlyJs = new(() =>
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return (reader.ReadToEnd(), name["Plotly.NET.plotly-".Length..^".min.js".Length]);
    });

    private static GenericChart Xy(ChartSpec spec)
    {
        var traces = spec.Series.Select(s => s.Style switch
        {
            SeriesStyle.Bars => CsChart.Column<double, double, string>(
                values: s.Y, Keys: s.X, Name: s.Name, Opacity: s.Opacity, MarkerColor: ColorOf(s.Color)),
            SeriesStyle.Line => CsChart.Line<double, double, string>(
                x: s.X, y: s.Y, Name: s.Name, Opacity: s.Opacity, LineColor: ColorOf(s.Color)),
            _ => s.Labels is { } labels
                ? CsChart.Point<double, double, string>(x: s.X, y: s.Y, Name: s.Name, Opacity: s.Opacity, MarkerColor: ColorOf(s.Color),
                    MultiText: labels, TextPosition: StyleParam.TextPosition.TopCenter)
                : CsChart.Point<double, double, string>(x: s.X, y: s.Y, Name: s.Name, Opacity: s.Opacity, MarkerColor: ColorOf(s.Color)),
        }).ToList();
        var chart = CsChart.Combine(traces);
        var layout = BaseLayout(spec);
        layout.SetProperty("barmode", "overlay");
        layout.SetProperty("bargap", 0.0);
        if (spec.VerticalLine is double v)
            layout.SetProperty("shapes", new[]
            {
                Obj(("type", "line"), ("x0", v), ("x1", v), ("y0", 0), ("y1", 1), ("yref", "paper"),
                    ("line", Obj(("color", "#c00"), ("dash", "dash"), ("width", 1.5)))),
            });
        chart = GenericChart.addLayout(layout, chart);
        return Axes(chart, spec);
    }

    private static GenericChart Heatmap(ChartSpec spec)
    {
        var chart = CsChart.Heatmap<double, string, string, string>(
            zData: spec.Z ?? throw new ArgumentException("a heat map needs Z"),
            X: spec.ColumnLabels ?? [], Y: spec.RowLabels ?? [], ReverseYAxis: true);
        chart = GenericChart.addLayout(BaseLayout(spec), chart);
        return Axes(chart, spec);
    }

    private static GenericChart Axes(GenericChart chart, ChartSpec spec) =>
        Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<string, string, string>(
            Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<string, string, string>(chart, TitleText: spec.XLabel),
            TitleText: spec.YLabel);

    private static Plotly.NET.CSharp.Optional<Color> ColorOf(string? color) =>
        color is null ? default : new Plotly.NET.CSharp.Optional<Color>(Color.fromString(color), true);

    /// <summary>Layout attributes are set by their plotly.js names (Plotly.NET's layout is a dynamic object).</summary>
    private static Layout BaseLayout(ChartSpec spec)
    {
        var layout = new Layout();
        layout.SetProperty("title", Obj(("text", spec.Title)));
        layout.SetProperty("width", spec.Width);
        layout.SetProperty("height", spec.Height);
        return layout;
    }

    private static DynamicObj.DynamicObj Obj(params (string Name, object Value)[] properties)
    {
        var o = new DynamicObj.DynamicObj();
        foreach (var (name, value) in properties) o.SetProperty(name, value);
        return o;
    }

    private static FSharpOption<T> Some<T>(T value) => FSharpOption<T>.Some(value);
}
