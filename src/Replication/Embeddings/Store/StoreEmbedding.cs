using System.Text;
using System.Text.Json;
using Replication.Core.Files;

namespace Replication.Embeddings.Store;

/// <summary>
/// Embeds webdataset shards into a store (layout: <see cref="StoreFiles"/>), one shard folder at a time, resumably and splittably:
/// a done shard is skipped, an unfinished one is embedded again; <see cref="ShardSelection"/> <c>i/n</c> lets n processes or
/// machines share the work, each shard under its own lock (never one lock for the store); a shard locked by another live process is
/// left to it and listed in <see cref="StoreRunResult.Busy"/>. The process that finds every shard
/// done writes <c>manifest.json</c> (global <c>long</c> row ids, row counts, checksums); it is the same whichever process writes it.
/// </summary>
public static class StoreEmbedding
{
    /// <summary>What shapes every row: the model (name, weights, preprocessing, output), the decoder, transparency and truncation handling.</summary>
    public static string SettingsFingerprint(FeatureExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var card = extractor.Card;
        string text = string.Join("\n", EmbeddingJob.DecoderIdentity, card.Name, card.Sha256, JsonSerializer.Serialize(card.Input, ModelCard.Json),
            JsonSerializer.Serialize(card.Output, ModelCard.Json), extractor.Alpha.ToString(), extractor.AcceptTruncated ? "truncated accepted" : "truncated refused");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static StoreRunResult Run(IReadOnlyList<string> shards, string store, FeatureExtractor extractor, ShardSelection selection, int batchSize = 16,
        Action<int, string>? starting = null, Action<long>? imagesDone = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentException.ThrowIfNullOrEmpty(store);
        ArgumentNullException.ThrowIfNull(extractor);
        if (shards.Count == 0) throw new InputDataException("no shards to embed");
        string settings = SettingsFingerprint(extractor);
        var plan = new StorePlan(StoreFiles.Format, extractor.Card.Name, settings, shards.Select(Path.GetFullPath).ToList());
        Agree(store, plan);
        var outcomes = new List<ShardOutcome>();
        var busy = new List<string>();
        for (int i = 0; i < shards.Count; i++)
        {
            if (!selection.Includes(i)) continue;
            cancel.ThrowIfCancellationRequested();
            starting?.Invoke(i, shards[i]);
            try
            {
                outcomes.Add(ShardEmbedder.Embed(i, plan.Shards[i], store, extractor, settings, batchSize, imagesDone, cancel));
            }
            catch (OutputLockedException e)
            {
                busy.Add(e.Message.Split(';')[0]); // another live process embeds this shard (a re-submitted task, an overlapping split): left to it
            }
        }
        return new StoreRunResult(outcomes, WriteManifestWhenComplete(store, plan)) { Busy = busy };
    }

    /// <summary>Writes <c>store.json</c> for a new store, or checks that an existing store is made of the same model, settings and shards.</summary>
    private static void Agree(string store, StorePlan plan)
    {
        string path = Path.Combine(store, StoreFiles.Plan);
        if (File.Exists(path))
        {
            var existing = ReadPlan(path);
            if (existing.Settings != plan.Settings)
                throw new InputDataException($"{store}: this store was made with other settings (model {existing.Model}; decoding); embed into a new store folder");
            if (!existing.Shards.SequenceEqual(plan.Shards))
                throw new InputDataException($"{store}: this store was made from another list of shards ({existing.Shards.Count} shards, first {(existing.Shards.Count > 0 ? existing.Shards[0] : null)}); " +
                                             "every process must be given the same list; embed another list into a new store folder");
            return;
        }
        Directory.CreateDirectory(store);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(plan, ShardEmbedder.Json)); // processes starting together write the same text
    }

    internal static StorePlan ReadPlan(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<StorePlan>(File.ReadAllText(path), ShardEmbedder.Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{path}: not a store plan ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>The manifest once every shard has its <c>shard.json</c> for the plan's inputs; null while any is missing.</summary>
    private static StoreManifest? WriteManifestWhenComplete(string store, StorePlan plan)
    {
        var entries = new List<StoreManifestShard>();
        long first = 0, skipped = 0;
        int dimension = 0;
        for (int i = 0; i < plan.Shards.Count; i++)
        {
            string donePath = Path.Combine(StoreFiles.ShardFolder(store, i), StoreFiles.Done);
            if (!File.Exists(donePath) || ShardEmbedder.ReadDone(donePath) is not { } done || done.Fingerprint != ShardEmbedder.Fingerprint(plan.Settings, plan.Shards[i]))
                return null;
            if (done.Dimension > 0)
            {
                if (dimension > 0 && dimension != done.Dimension)
                    throw new InputDataException($"{donePath}: dimension {done.Dimension}, other shards have {dimension}");
                dimension = done.Dimension;
            }
            entries.Add(new StoreManifestShard(i, done.Source, first, done.Rows, done.Skipped, done.VectorsSha256, done.RowsSha256));
            first += done.Rows;
            skipped += done.Skipped;
        }
        var manifest = new StoreManifest(StoreFiles.Format, plan.Model, dimension, first, skipped, entries);
        AtomicFile.WriteAllText(Path.Combine(store, StoreFiles.Manifest), JsonSerializer.Serialize(manifest, ShardEmbedder.Json));
        return manifest;
    }
}
