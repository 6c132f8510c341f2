using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Replication.Embeddings.Store;
using Replication.Core.Vectors;

namespace Replication.Search.Approximate;

/// <summary>
/// A SHA-256 that changes when the vectors change: for an <see cref="EmbeddingStore"/> it is taken over its manifest's row
/// count, dimension and per-shard vector checksums (written when each shard was embedded, so nothing is read again); for
/// any other <see cref="IVectorSource"/> over its count, dimension and every value, streamed block by block.
/// </summary>
public static class VectorFingerprint
{
    private const int BlockRows = 4096;

    public static string Of(IVectorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{source.Count}x{source.Dimension}\n"));
        if (source is EmbeddingStore store)
        {
            hash.AppendData(Encoding.UTF8.GetBytes("store\n"));
            foreach (var shard in store.Manifest.Shards)
                hash.AppendData(Encoding.UTF8.GetBytes($"{shard.Index}\t{shard.Rows}\t{shard.VectorsSha256}\n"));
        }
        else
        {
            var buffer = new float[(long)Math.Min(BlockRows, Math.Max(1, source.Count)) * source.Dimension];
            for (long start = 0; start < source.Count; start += BlockRows)
            {
                int n = (int)Math.Min(BlockRows, source.Count - start);
                var span = buffer.AsSpan(0, n * source.Dimension);
                source.ReadRows(start, n, span);
                hash.AppendData(MemoryMarshal.AsBytes(span));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
