using Replication.Embeddings.Store;
using Replication.Core.Formats;
using Replication.Core.Vectors;

namespace Replication.Cli.Commands;

/// <summary>The gallery of the index commands: a store (<c>--store</c>) or one .npy (<c>--gallery</c>), exactly one of them.</summary>
internal static class VectorSources
{
    public static (IVectorSource Source, string Path, IDisposable Owner, EmbeddingStore? Store) OpenGallery(string? store, string? gallery)
    {
        if ((store is null) == (gallery is null))
            throw new UsageException(store is null ? "give --store (an embedding store) or --gallery (an embeddings .npy)" : "--store and --gallery do not go together: give one", "--store");
        if (store is not null)
        {
            CommonOptions.Existing(store, "--store", "folder");
            var s = EmbeddingStore.Open(store);
            return (s, store, s, s);
        }
        CommonOptions.Existing(gallery!, "--gallery", "file");
        var m = NpyMatrix.Open(gallery!);
        return (m, gallery!, m, null);
    }
}
