using System.Text.Json.Nodes;
using Replication.Embeddings;
using Replication.Embeddings.Store;

namespace Replication.Tests.Embeddings.Store;

/// <summary>A damaged manifest.json is one clear error naming the file, never a crash in a later stage (issue 20, C).</summary>
public class StoreManifestTests
{
    private static string Store()
    {
        var (_, shards) = StoreFixtures.NoiseShards(6, 2, size: 16);
        string store = Path.Combine(Fixtures.TempFolder(), "store");
        using var extractor = FeatureExtractor.Open("pixels");
        StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, ShardSelection.All, 8);
        return store;
    }

    [Theory]
    [InlineData("{}", "'format' is missing")]
    [InlineData("SHARDS_NULL", "'shards' is missing")]
    [InlineData("ROWS_WRONG", "its shards hold 6")]
    [InlineData("SHARD_GAP", "starts at row")]
    [InlineData("[1, 2]", "not a store manifest")]
    public void ADamagedManifestIsRefusedByName(string damage, string message)
    {
        string store = Store();
        string path = Path.Combine(store, StoreFiles.Manifest);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(6, (long)json["rows"]!); // the intact store opens and holds 6 rows
        using (var ok = EmbeddingStore.Open(store)) Assert.Equal(6, ok.Count);
        string text = damage switch
        {
            "SHARDS_NULL" => With(json, j => j["shards"] = null),
            "ROWS_WRONG" => With(json, j => j["rows"] = 7),
            "SHARD_GAP" => With(json, j => j["shards"]![1]!["first_row"] = 5),
            _ => damage,
        };
        File.WriteAllText(path, text);
        var e = Assert.Throws<InputDataException>(() => EmbeddingStore.Open(store));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    private static string With(JsonObject json, Action<JsonObject> change)
    {
        var copy = json.DeepClone().AsObject();
        change(copy);
        return copy.ToJsonString();
    }
}
