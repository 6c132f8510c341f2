using System.Globalization;
using Replication.Core.Formats;

namespace Replication.Search.Retrieval;

/// <summary>The search CSV (<c>query,rank,gallery,score</c>, 0-based rows) as ranked lists, and back.</summary>
public static class MatchesFile
{
    /// <summary>Reads a matches CSV; every cell is checked, an <see cref="InputDataException"/> names the file, the line and the field.</summary>
    public static IReadOnlyList<RankedList> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var table = CsvTable.Read(path);
        foreach (var column in new[] { "query", "rank", "gallery", "score" })
            if (!table.HasColumn(column))
                throw new InputDataException($"{path}: needs columns query,rank,gallery,score (missing '{column}')");
        if (table.Rows.Count == 0)
            throw new InputDataException($"{path}: no matches (only a header); a search writes at least one row per query");
        var rows = new List<(int Query, int Rank, long Gallery, float Score)>(table.Rows.Count);
        var ranks = new Dictionary<(int, int), int>();
        for (int i = 0; i < table.Rows.Count; i++)
        {
            int line = i + 2;
            int query = (int)Integer(table.Cell(i, "query"), "query", int.MaxValue, path, line);
            int rank = (int)Integer(table.Cell(i, "rank"), "rank", int.MaxValue, path, line);
            long gallery = Integer(table.Cell(i, "gallery"), "gallery", long.MaxValue, path, line);
            float score = Score(table.Cell(i, "score"), path, line);
            if (!ranks.TryAdd((query, rank), line))
                throw new InputDataException($"{path}: line {line}: query {query} has rank {rank} twice (first on line {ranks[(query, rank)]})");
            rows.Add((query, rank, gallery, score));
        }
        return rows.GroupBy(r => r.Query).OrderBy(g => g.Key)
            .Select(g => { var o = g.OrderBy(r => r.Rank).ToList(); return new RankedList(g.Key, o.Select(r => r.Gallery).ToArray(), o.Select(r => r.Score).ToArray()); })
            .ToList();
    }

    private static long Integer(string? cell, string field, long max, string path, int line)
    {
        string text = (cell ?? "").Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= max)
            return value;
        string why = text.Length == 0 ? "is empty"
            : text[0] == '-' && text.Length > 1 && text[1..].All(char.IsAsciiDigit) ? $"is negative ({text}; rows are 0-based)"
            : text.All(char.IsAsciiDigit) ? $"is out of range ({text}; at most {max})"
            : $"is not an integer ('{text}')";
        throw new InputDataException($"{path}: line {line}: '{field}' {why}");
    }

    /// <summary>A culture-invariant number with a decimal point: "0,9" is refused (a decimal comma, or a thousands separator), never read as 9.</summary>
    private static float Score(string? cell, string path, int line)
    {
        string text = (cell ?? "").Trim();
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float score) && float.IsFinite(score))
            return score;
        string why = text.Length == 0 ? "is empty"
            : text.Contains(',') ? $"'{text}' has a comma: write numbers with a decimal point and no thousands separators (e.g. 0.9)"
            : float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? $"'{text}' is not finite"
            : $"'{text}' is not a number";
        throw new InputDataException($"{path}: line {line}: 'score' {why}");
    }

    public static IReadOnlyList<RankedList> FromSearch(SearchResult result) =>
        Enumerable.Range(0, result.Queries).Select(q =>
        {
            var idx = result.IndicesOf(q).ToArray();
            int n = Array.IndexOf(idx, -1L);
            if (n < 0) n = idx.Length;
            return new RankedList(q, idx[..n], result.ScoresOf(q)[..n].ToArray());
        }).ToList();
}
