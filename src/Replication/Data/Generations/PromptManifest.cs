using System.Text;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Data.Generations;

/// <summary>The prompt manifest file: <c>prompt,source_key,seed</c> (and <c>source_row</c> for prompts drawn from a store), one line per image to generate.</summary>
public static class PromptManifest
{
    public static void Write(string path, IReadOnlyList<PromptRow> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rows);
        bool withRow = rows.Any(r => r.SourceRow is not null);
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write(withRow ? "prompt,source_key,seed,source_row\n" : "prompt,source_key,seed\n");
            foreach (var r in rows)
                w.Write((withRow ? CsvTable.Line(r.Prompt, r.SourceKey, r.Seed, r.SourceRow) : CsvTable.Line(r.Prompt, r.SourceKey, r.Seed)) + "\n");
        });
    }
}
