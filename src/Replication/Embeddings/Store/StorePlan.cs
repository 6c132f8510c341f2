namespace Replication.Embeddings.Store;

/// <summary><c>store.json</c>: what a store is made of. Every process writing into the store must agree with it.</summary>
/// <param name="Settings">Fingerprint of the model and the decoding settings (see <see cref="StoreEmbedding.SettingsFingerprint"/>).</param>
/// <param name="Shards">The input shards in order (full paths); a shard's place is its index.</param>
public sealed record StorePlan(string Format, string Model, string Settings, IReadOnlyList<string> Shards);
