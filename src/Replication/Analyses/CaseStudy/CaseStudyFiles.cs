using System.Globalization;
using System.Text;
using System.Text.Json;
using Replication.Reporting.Metrics;
using Replication.Embeddings.Store;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// The files of a finished case study: <c>generations.csv</c> (one row per generation) and <c>case-study.json</c> (the header,
/// rate, duplicate summaries and problems), written last, so a folder without it is not a finished study.
/// </summary>
public static class CaseStudyFiles
{
    public const string Generations = "generations.csv";
    public const string Summary = "case-study.json";
    private const string Format = "replication-case-study/1";

    private static readonly string[] Columns =
    [
        "index", "path", "prompt", "source_key", "seed", "top1", "match_row", "match_key", "match_caption", "source_row", "source_caption",
        "own_source", "top1_excluding_source", "match_is_source", "source_top1", "source_duplicates", "source_duplicates_at_least",
        "match_duplicates", "match_duplicates_at_least", "problem",
    ];

    private sealed record SummaryFile(string Format, string Store, string Model, long StoreRows, int StoreShards, string Similarity, double Threshold,
        double DuplicateThreshold, Proportion AboveThreshold, IReadOnlyList<DuplicateEntry> Duplicates, IReadOnlyList<string> Problems);

    private sealed record DuplicateEntry(string Population, int Images, double Mean, double Median, int LowerBounds);

    public static void Write(string folder, CaseStudyResult r)
    {
        AtomicFile.Write(Path.Combine(folder, Generations), stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write(string.Join(",", Columns) + "\n");
            foreach (var g in r.Rows)
                w.Write(CsvTable.Line(g.Index, g.Path, g.Prompt, g.SourceKey, g.Seed, g.Top1, g.MatchRow, g.MatchKey, g.MatchCaption, g.SourceRow,
                    g.SourceCaption, g.OwnSource, g.Top1ExcludingSource, g.MatchIsSource ? "yes" : "no", g.SourceTop1, g.SourceDuplicates,
                    g.SourceDuplicatesAtLeast ? "yes" : "no", g.MatchDuplicates, g.MatchDuplicatesAtLeast ? "yes" : "no", g.Problem) + "\n");
        });
        var summary = new SummaryFile(Format, r.Store, r.Model, r.StoreRows, r.StoreShards, r.Similarity, r.Threshold, r.DuplicateThreshold, r.AboveThreshold,
            r.Duplicates.Select(d => new DuplicateEntry(d.Population.ToString(), d.Images, d.Mean, d.Median, d.LowerBounds)).ToList(), r.Problems);
        AtomicFile.WriteAllText(Path.Combine(folder, Summary), JsonSerializer.Serialize(summary, Json));
    }

    /// <summary>Reads a finished study back (duplicate populations rebuilt from the rows, so they always agree with them).</summary>
    public static CaseStudyResult Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string summaryPath = Path.Combine(folder, Summary);
        if (!File.Exists(summaryPath))
            throw new InputMissingException($"{folder}: not a finished case study ({Summary} missing; run case-study again, it resumes)", summaryPath);
        SummaryFile s;
        try
        {
            s = JsonSerializer.Deserialize<SummaryFile>(File.ReadAllText(summaryPath), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{summaryPath}: not a case-study summary ({e.Message})");
        }
        if (s.Format != Format) throw new InputDataException($"{summaryPath}: format '{s.Format}', expected '{Format}'");
        var table = CsvTable.Read(Path.Combine(folder, Generations));
        var rows = new List<GenerationRow>(table.Rows.Count);
        for (int i = 0; i < table.Rows.Count; i++)
        {
            string? C(string c) => table.Cell(i, c) is { Length: > 0 } v ? v : null;
            float F(string c) => float.Parse(table.Cell(i, c)!, NumberStyles.Float, CultureInfo.InvariantCulture);
            long L(string c) => long.Parse(table.Cell(i, c)!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            bool B(string c) => table.Cell(i, c) == "yes";
            rows.Add(new GenerationRow((int)L("index"), C("path")!, C("prompt")!, C("source_key")!, C("seed") is { } seed ? long.Parse(seed, CultureInfo.InvariantCulture) : null,
                F("top1"), L("match_row"), C("match_key"), C("match_caption"), L("source_row"), C("source_caption"), F("own_source"),
                F("top1_excluding_source"), B("match_is_source"), F("source_top1"), L("source_duplicates"), B("source_duplicates_at_least"),
                L("match_duplicates"), B("match_duplicates_at_least"), C("problem")));
        }
        var dups = DuplicateSummary.FromRows(rows, s.Threshold);
        return new CaseStudyResult(s.Store, s.Model, s.StoreRows, s.StoreShards, s.Similarity, s.Threshold, s.DuplicateThreshold, rows, s.AboveThreshold,
            dups, s.Problems);
    }

    private static readonly JsonSerializerOptions Json = new(ShardEmbedder.Json) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
