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

    /// <summary>
    /// Parameters the tests use instead of a notebook's committed defaults, where those take minutes: notebook 02 samples
    /// 12 images per model with 10 DDIM steps from the 16- and 64-image glyph models, pixels only, into a fresh work folder, notebook 03 4 per class with 10 steps (pixels, witness pixels), notebook 04 draws 16 duplication generations with 5 steps (pixels), packs 120 training images and makes 40 + 12 stand-ins (pixels)
    /// (their committed outputs are of the full defaults).
    /// </summary>
    private static readonly Dictionary<string, (string Line, string Replacement)[]> TestParameters = new()
    {
        ["02-training-size-sweep.ipynb"] = [("    Count = 256,", "    Count = 12,\n    WorkFolder = \"{work}\","), ("    Steps = 50,", "    Steps = 10,"),
            ("    Models = \"copy-detector,pixels,resnet18\",", "    Models = \"pixels\",\n    Denoisers = string.Join(\",\", new[] { 16, 64 }.Select(TrainingSizeSweepFigure.GlyphModel)),")],
        ["03-per-class-study.ipynb"] = [("    PerClass = 64,", "    PerClass = 4,\n    WorkFolder = \"{work}\","), ("    Steps = 50,", "    Steps = 10,"),
            ("    Model = \"copy-detector\",", "    Model = \"pixels\",")],
        ["04-stable-diffusion-case-study.ipynb"] = [("    Training = 2000,", "    Training = 120,\n    SamplesPerShard = 40,\n    WorkFolder = \"{work}\","),
            ("    HeldOut = 300,", "    HeldOut = 40,"), ("    Prompts = 400,", "    Prompts = 40,"), ("    PerVariant = 25,", "    PerVariant = 6,"),
            ("    Generations = 512,", "    Generations = 16,"), ("    DuplicationSteps = 50,", "    DuplicationSteps = 5,"),
            ("    DuplicationModels = \"copy-detector,pixels\",", "    DuplicationModels = \"pixels\","), ("    Model = \"copy-detector\",", "    Model = \"pixels\",")],
    };

    /// <summary>The notebook to run in a test: the notebook itself, or a hidden copy beside it with <see cref="TestParameters"/>
    /// (the caller deletes it; <see cref="Execute"/> does).</summary>
    public static string ForTest(string notebook)
    {
        if (!TestParameters.TryGetValue(Path.GetFileName(notebook), out var edits)) return notebook;
        var nb = JsonNode.Parse(File.ReadAllText(Path.Combine(NotebooksFolder, notebook)))!;
        string work = Fixtures.TempFolder();
        int replaced = 0;
        foreach (var cell in nb["cells"]!.AsArray())
        {
            var lines = cell!["source"]!.AsArray();
            for (int i = 0; i < lines.Count; i++)
                foreach (var (line, replacement) in edits)
                    if (((string?)lines[i])!.TrimEnd('\n') == line)
                    {
                        lines[i] = replacement.Replace("{work}", work, StringComparison.Ordinal) + "\n";
                        replaced++;
                    }
        }
        if (replaced != edits.Length)
            throw new Xunit.Sdk.XunitException($"{notebook}: {edits.Length - replaced} test parameter line(s) not found in the parameters cell: {string.Join(" | ", edits.Select(e => e.Line))}");
        string copy = Path.Combine(NotebooksFolder, $".test-{Path.GetFileNameWithoutExtension(notebook)}-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(copy, nb.ToJsonString());
        return copy;
    }

    /// <summary>
    /// Skips (fails under CI) a notebook whose default data needs an optional Debian package: a default parameter, or a manifest a
    /// default parameter names, pointing into /usr/share/openclipart (openclipart-png).
    /// </summary>
    public static void RequirePackagesFor(string notebook)
    {
        var figure = Replication.Figures.FigureCatalog.All.FirstOrDefault(f => f.Id == Path.GetFileNameWithoutExtension(notebook));
        if (figure is null) return;
        const string Clipart = "/usr/share/openclipart";
        foreach (var property in figure.DefaultParameters.GetType().GetProperties())
        {
            if (property.GetValue(figure.DefaultParameters) is not string value) continue;
            bool uses = value.StartsWith(Clipart, StringComparison.Ordinal)
                || value.Split(',').Any(v => v.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && File.Exists(v) && File.ReadAllText(v).Contains(Clipart, StringComparison.Ordinal));
            if (uses) Requires.PathOf(Clipart + "/png", "openclipart-png");
        }
    }

    /// <summary>Runs <paramref name="notebook"/> (working folder notebooks/; test parameters applied) and returns every cell output.</summary>
    public static IReadOnlyList<CellOutput> Execute(string notebook)
    {
        string run = ForTest(notebook);
        try { return ExecuteAsIs(run); }
        finally { if (run != notebook) File.Delete(run); }
    }

    private static IReadOnlyList<CellOutput> ExecuteAsIs(string notebook)
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
