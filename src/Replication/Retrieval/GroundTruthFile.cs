using System.Text.Json;
using Replication.Storage;

namespace Replication.Retrieval;

/// <summary>Reads and writes <c>gt.json</c>: a list with one <see cref="QueryGroundTruth"/> per query.</summary>
public static class GroundTruthFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static IReadOnlyList<QueryGroundTruth> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: ground-truth file not found", path);
        List<QueryGroundTruth>? list;
        try
        {
            list = JsonSerializer.Deserialize<List<QueryGroundTruth>>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a ground-truth list ({e.Message}); expected [{{\"query\": 0, \"ok\": [..], \"junk\": [..]}}, ...]", e);
        }
        if (list is null || list.Count == 0)
            throw new InvalidDataException($"{path}: ground truth lists no queries");
        var seen = new HashSet<int>();
        foreach (var q in list)
        {
            if (q.Ok is null || q.Junk is null)
                throw new InvalidDataException($"{path}: query {q.Query} needs both 'ok' and 'junk' lists (empty lists are fine)");
            if (!seen.Add(q.Query))
                throw new InvalidDataException($"{path}: query {q.Query} appears twice");
        }
        return list;
    }

    public static void Write(string path, IEnumerable<QueryGroundTruth> entries) =>
        AtomicFile.WriteAllText(path, "[\n" + string.Join(",\n", entries.Select(e => JsonSerializer.Serialize(e, Options))) + "\n]\n");
}
