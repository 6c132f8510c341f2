using System.Globalization;
using Replication.Search;
using Replication.Storage;

namespace Replication.Retrieval;

/// <summary>The search CSV (<c>query,rank,gallery,score</c>, 0-based rows) as ranked lists, and back.</summary>
public static class MatchesFile
{
    public static IReadOnlyList<RankedList> Read(string path)
    {
        var table = CsvTable.Read(path);
        foreach (var column in new[] { "query", "rank", "gallery", "score" })
            if (!table.HasColumn(column))
                throw new InvalidDataException($"{path}: needs columns query,rank,gallery,score (missing '{column}')");
        var rows = new List<(int Query, int Rank, long Gallery, float Score)>(table.Rows.Count);
        for (int i = 0; i < table.Rows.Count; i++)
        {
            try
            {
                rows.Add((int.Parse(table.Cell(i, "query")!, CultureInfo.InvariantCulture), int.Parse(table.Cell(i, "rank")!, CultureInfo.InvariantCulture),
                    long.Parse(table.Cell(i, "gallery")!, CultureInfo.InvariantCulture), float.Parse(table.Cell(i, "score")!, CultureInfo.InvariantCulture)));
            }
            catch (FormatException)
            {
                throw new InvalidDataException($"{path}: line {i + 2}: query, rank and gallery must be integers and score a number");
            }
        }
        return rows.GroupBy(r => r.Query).OrderBy(g => g.Key)
            .Select(g => { var o = g.OrderBy(r => r.Rank).ToList(); return new RankedList(g.Key, o.Select(r => r.Gallery).ToArray(), o.Select(r => r.Score).ToArray()); })
            .ToList();
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
