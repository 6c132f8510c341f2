using System.Text.Json;

namespace Replication.Reporting.Charting;

/// <summary>
/// Renders <see cref="ChartSpec"/>s to interactive HTML with Plotly.NET, in any process: the CLI, tests, or the
/// .NET Interactive kernel. This class is the one place that owns the isolation: it loads
/// <c>Replication.Charts.dll</c> and its dependencies from the charts folder into an
/// <see cref="IsolatedChartContext"/> and calls its single entry point with JSON text, so no Plotly.NET or
/// FSharp.Core type ever crosses into the host.
/// </summary>
public static class PlotlyCharts
{
    private const string RendererAssembly = "Replication.Charts";
    private const string RendererType = "Replication.Charts.PlotlyRenderer";
    private const string RendererMethod = "Render";

    private static readonly Lock Gate = new();
    private static Func<string, string, string>? _render;
    private static string? _folder;

    /// <summary>NaN (a failed benchmark cell, an empty bin) crosses as a named literal; Plotly draws it as a gap.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The folder with Replication.Charts.dll, Plotly.NET.dll and FSharp.Core.dll: by default <c>charts/</c> beside Replication.dll.</summary>
    public static string Folder
    {
        get => _folder ?? Path.Combine(Path.GetDirectoryName(typeof(PlotlyCharts).Assembly.Location) ?? AppContext.BaseDirectory, "charts");
        set
        {
            lock (Gate)
            {
                if (_render != null && !string.Equals(Path.GetFullPath(value), Path.GetFullPath(Folder), StringComparison.Ordinal))
                    throw new InvalidOperationException($"charts are already loaded from {Folder}");
                _folder = value;
            }
        }
    }

    /// <summary>The chart as an HTML fragment (a div and its script).</summary>
    public static string ToHtml(ChartSpec spec, PlotlyScript script = PlotlyScript.Inline) =>
        Renderer()(JsonSerializer.Serialize(spec, Json), script.ToString());

    private static int _notebookScriptSent;

    /// <summary>
    /// For a notebook: the first chart of the session carries plotly.js inline (so the notebook works offline),
    /// later charts use the copy the page already has.
    /// </summary>
    public static string ToNotebookHtml(ChartSpec spec, string? staticSvg = null) =>
        WithStaticFallback(ToHtml(spec, Interlocked.Exchange(ref _notebookScriptSent, 1) == 0 ? PlotlyScript.Inline : PlotlyScript.AlreadyLoaded), staticSvg);

    /// <summary>
    /// The interactive chart preceded by its static SVG twin, which a script hides once plotly.js is there: viewers that run
    /// no scripts (GitHub, PDF exports, nbconvert without JavaScript) keep the picture, browsers show the interactive chart.
    /// </summary>
    public static string WithStaticFallback(string chartHtml, string? staticSvg)
    {
        if (string.IsNullOrEmpty(staticSvg)) return chartHtml;
        string id = "rs-static-" + Guid.NewGuid().ToString("N");
        return $"<div class=\"rs-chart\"><div id=\"{id}\" class=\"rs-static\">{staticSvg}</div>{chartHtml}" +
               $"<script type=\"text/javascript\">(function () {{ var s = document.getElementById('{id}'); if (s && window.Plotly) s.style.display = 'none'; }})();</script></div>";
    }

    /// <summary>A complete, self-contained HTML page (plotly.js inline) holding the given charts and HTML blocks in order.</summary>
    public static string ToPage(string title, IEnumerable<string> htmlBlocks) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{System.Net.WebUtility.HtmlEncode(title)}</title>" +
        "<style>body{font-family:sans-serif;margin:24px;color:#222}</style></head><body>" + string.Concat(htmlBlocks) + "</body></html>";

    private static Func<string, string, string> Renderer()
    {
        lock (Gate)
        {
            if (_render != null) return _render;
            string folder = Folder;
            string path = Path.Combine(folder, RendererAssembly + ".dll");
            if (!File.Exists(path))
                throw new EnvironmentException($"{path}: the chart renderer is missing (build src/Replication.Cli, which places it in charts/, or set PlotlyCharts.Folder)");
            var context = new IsolatedChartContext(folder);
            var assembly = context.LoadFromAssemblyPath(path);
            var method = assembly.GetType(RendererType, throwOnError: true)!.GetMethod(RendererMethod)
                         ?? throw new EnvironmentException($"{path}: the chart renderer has no {RendererType}.{RendererMethod} (rebuild src/Replication.Cli)");
            _render = method.CreateDelegate<Func<string, string, string>>();
            return _render;
        }
    }
}
