using System.Text.Json;
using System.Text.Json.Nodes;
using Replication.Core.Files;

namespace Replication.Search.Retrieval;

/// <summary>Reads and writes <c>gt.json</c>: a list with one <see cref="QueryGroundTruth"/> per query.</summary>
public static class GroundTruthFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    private const string Expected = "expected [{\"query\": 0, \"ok\": [..], \"junk\": [..]}, ...] with non-negative integer ids";

    /// <summary>Reads gt.json, checking every entry: an <see cref="InputDataException"/> names the file, the entry (1-based) and the field.</summary>
    public static IReadOnlyList<QueryGroundTruth> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new InputMissingException($"{path}: ground-truth file not found", path);
        var entries = Replication.Core.Files.JsonFile.ReadArray(path, Expected);
        if (entries.Count == 0)
            throw new InputDataException($"{path}: ground truth lists no queries");
        var list = new List<QueryGroundTruth>(entries.Count);
        var seen = new HashSet<int>();
        for (int i = 0; i < entries.Count; i++)
        {
            string where = $"{path}: entry {i + 1}";
            if (entries[i] is not JsonObject entry)
                throw new InputDataException($"{where} is {(entries[i] is null ? "null" : entries[i]!.GetValueKind().ToString())}, not an object; {Expected}");
            int query = (int)Id(entry["query"], where, "'query'", int.MaxValue, entry.ContainsKey("query"));
            var ok = Ids(entry, "ok", where);
            var junk = Ids(entry, "junk", where);
            // the official compute_ap divides by len(ok) with repeats counted, so a repeated id would lower AP below what the ranking earns
            if (ok.Intersect(junk).FirstOrDefault(-1) is var both and >= 0)
                throw new InputDataException($"{where}: gallery row {both} is both 'ok' and 'junk' for query {query}");
            if (!seen.Add(query))
                throw new InputDataException($"{where}: query {query} appears twice");
            list.Add(new QueryGroundTruth(query, ok, junk));
        }
        return list;
    }

    private static long[] Ids(JsonObject entry, string field, string where)
    {
        if (entry[field] is not JsonArray array)
            throw new InputDataException($"{where}: '{field}' must be a list of gallery rows (an empty list is fine), found {(entry.ContainsKey(field) ? entry[field]?.GetValueKind().ToString() ?? "null" : "nothing")}");
        var ids = new long[array.Count];
        for (int j = 0; j < ids.Length; j++)
            ids[j] = Id(array[j], where, $"'{field}' item {j + 1}", long.MaxValue, present: true);
        var seen = new HashSet<long>();
        for (int j = 0; j < ids.Length; j++)
            if (!seen.Add(ids[j]))
                throw new InputDataException($"{where}: '{field}' lists gallery row {ids[j]} twice (items {Array.IndexOf(ids, ids[j]) + 1} and {j + 1}); each positive or junk row is listed once");
        return ids;
    }

    private static long Id(JsonNode? node, string where, string field, long max, bool present)
    {
        if (!present)
            throw new InputDataException($"{where}: {field} is missing; {Expected}");
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
            throw new InputDataException($"{where}: {field} must be an integer, found {(node is null ? "null" : node.ToJsonString())}");
        string raw = node.ToJsonString();
        if (!value.TryGetValue(out JsonElement element) || !element.TryGetInt64(out long id))
            throw new InputDataException(raw.Contains('.') || raw.Contains('e') || raw.Contains('E')
                ? $"{where}: {field} must be an integer, found {raw}"
                : $"{where}: {field} {raw} is out of range (0 to {max})");
        if (id < 0)
            throw new InputDataException($"{where}: {field} {id} is negative (rows are 0-based)");
        if (id > max)
            throw new InputDataException($"{where}: {field} {raw} is out of range (0 to {max})");
        return id;
    }

    public static void Write(string path, IEnumerable<QueryGroundTruth> entries) =>
        AtomicFile.WriteAllText(path, "[\n" + string.Join(",\n", entries.Select(e => JsonSerializer.Serialize(e, Options))) + "\n]\n");
}
