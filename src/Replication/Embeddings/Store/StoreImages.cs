using Replication.Embeddings.WebDataset;

namespace Replication.Embeddings.Store;

/// <summary>
/// The image bytes of chosen store rows, read back from their webdataset shards (each shard streamed once, only the wanted keys
/// kept in memory): for galleries of matches. A row whose shard or sample is gone is missing from the answer, never an error.
/// </summary>
public static class StoreImages
{
    public static IReadOnlyDictionary<long, byte[]> Fetch(EmbeddingStore store, IEnumerable<long> rows)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rows);
        var meta = store.Rows(rows.Where(r => r >= 0 && r < store.Count).Distinct());
        var found = new Dictionary<long, byte[]>();
        foreach (var shard in meta.Values.GroupBy(r => r.Source))
        {
            if (!File.Exists(shard.Key)) continue;
            var byKey = shard.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Row).ToList(), StringComparer.Ordinal);
            try
            {
                foreach (var sample in new TarShardReader(shard.Key).Samples())
                    if (sample.Image is not null && byKey.TryGetValue(sample.Key, out var wanted))
                        foreach (long row in wanted) found[row] = sample.Image;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or InputDataException)
            {
                // a damaged shard: the rows read so far are kept, the rest shown as missing
            }
        }
        return found;
    }
}
