using System.Text.Json.Nodes;

namespace Replication.Tests.Figures;

/// <summary>Runs a notebook headless with the pinned kernel tool (dotnet repl) and reads back its outputs.</summary>
internal static class NotebookRunner
{
    public sealed record CellOutput(int Cell, string Source, string Kind, string Text);

    private static readonly Lazy<bool> ToolsRestored = new(() =>
    {
        ProcessRunner.Run("dotnet", ["tool", "restore"], Fixtures.RepositoryRoot(), TimeSpan.FromMinutes(5));
        return true;
    });

    public static string NotebooksFolder => Path.Combine(Fixtures.RepositoryRoot(), "notebooks");

    /// <summary>Runs <paramref name="notebook"/> (working folder notebooks/) and returns every cell output.</summary>
    public static IReadOnlyList<CellOutput> Execute(string notebook)
    {
        _ = ToolsRestored.Value;
        var outPath = Path.Combine(Fixtures.TempFolder(), Path.GetFileName(notebook));
        var r = ProcessRunner.Run("dotnet", ["repl", "--run", notebook, "--exit-after-run", "--output-path", outPath], NotebooksFolder, TimeSpan.FromMinutes(10));
        if (!File.Exists(outPath))
            throw new Xunit.Sdk.XunitException($"dotnet repl wrote no output for {notebook} (exit {r.ExitCode}):\n{r.Stdout}{r.Stderr}");
        return ReadOutputs(outPath);
    }

    public static IReadOnlyList<CellOutput> ReadOutputs(string ipynb)
    {
        var nb = JsonNode.Parse(File.ReadAllText(ipynb))!;
        var result = new List<CellOutput>();
        int index = 0;
        foreach (var cell in nb["cells"]!.AsArray())
        {
            index++;
            if ((string?)cell!["cell_type"] != "code") continue;
            string source = Join(cell["source"]);
            foreach (var o in cell["outputs"]?.AsArray() ?? [])
            {
                string type = (string)o!["output_type"]!;
                if (type == "error")
                    result.Add(new CellOutput(index, source, "error", $"{o["ename"]}: {o["evalue"]}"));
                else if (o["data"] is JsonObject data)
                    foreach (var (mime, value) in data)
                        result.Add(new CellOutput(index, source, mime, Join(value)));
                else if (type == "stream")
                    result.Add(new CellOutput(index, source, "stream", Join(o["text"])));
            }
        }
        return result;
    }

    private static string Join(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => (string?)x)),
        null => "",
        _ => (string?)node ?? "",
    };
}
