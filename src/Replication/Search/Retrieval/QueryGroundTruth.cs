using System.Text.Json.Serialization;

namespace Replication.Search.Retrieval;

/// <summary>
/// The relevant gallery rows of one query (the <c>gt.json</c> entry <c>{"query": i, "ok": [...], "junk": [...]}</c>):
/// <see cref="Ok"/> are positives; <see cref="Junk"/> are ignored when ranking, as the dataset's protocol says.
/// </summary>
public sealed record QueryGroundTruth(
    [property: JsonPropertyName("query")] int Query,
    [property: JsonPropertyName("ok")] long[] Ok,
    [property: JsonPropertyName("junk")] long[] Junk);
