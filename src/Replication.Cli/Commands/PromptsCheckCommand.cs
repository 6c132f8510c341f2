using System.CommandLine;
using Replication.Data.Generations;
using Replication.Core.Formats;

namespace Replication.Cli.Commands;

public sealed class PromptsCheckCommand : Command
{
    private readonly Option<string> _generated = OptionKinds.Text("--generated", "manifest of generated images: path,prompt,source_key,seed (paths relative to it)", required: true);
    private readonly Option<string> _prompts = OptionKinds.Text("--prompts", "the prompt manifest they were made from: every source_key must be in it");

    public PromptsCheckCommand() : base("check", "check a generated-images manifest from any generator: its columns, every row, the image files (and its source keys against --prompts)")
    {
        foreach (var o in new Option[] { _generated, _prompts })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string path = CommonOptions.Existing(p.GetValue(_generated)!, "--generated", "file");
        var images = GeneratedManifest.Read(path);
        if (p.GetValue(_prompts) is { } promptsPath)
        {
            var table = CsvTable.Read(CommonOptions.Existing(promptsPath, "--prompts", "file"));
            if (!table.HasColumn("source_key"))
                throw new InputDataException($"{promptsPath}: no 'source_key' column (a prompt manifest has prompt,source_key,seed)");
            var keys = Enumerable.Range(0, table.Rows.Count).Select(r => table.Cell(r, "source_key")!).ToHashSet();
            int row = images.ToList().FindIndex(i => !keys.Contains(i.SourceKey));
            if (row >= 0)
                throw new InputDataException($"{path}, row {row + 1}: source_key '{images[row].SourceKey}' is not in {promptsPath}");
        }
        Console.WriteLine($"{images.Count} generated images, {images.Count(i => i.Seed is null)} without a seed, {images.Select(i => i.SourceKey).Distinct().Count()} distinct source samples: {path} is valid");
        return ExitCodes.Success;
    }
}
