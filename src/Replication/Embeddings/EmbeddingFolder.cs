
using Replication.Images;
using Replication.Core.Formats;

namespace Replication.Embeddings;

/// <summary>
/// A complete embedding folder on disk (see <see cref="EmbeddingFiles"/>): its metadata, the images of its rows
/// and the images that were skipped. The vectors stay on disk and are read block by block through <see cref="OpenVectors"/>.
/// </summary>
public sealed record EmbeddingFolder(string Folder, EmbeddingFiles.Info Info, IReadOnlyList<ImageRecord> Images, IReadOnlyList<SkippedImage> Skipped)
{
    /// <summary>Embedded images that deserve a look (near-constant ones), read from <c>warnings.csv</c>.</summary>
    public IReadOnlyList<ImageWarning> Warnings { get; init; } = [];

    public int Count => Info.Rows;
    public int RowLength => Info.Dimension;
    public int Chunks => Info.Chunks;
    public string VectorsPath => Path.Combine(Folder, EmbeddingFiles.Vectors);

    public NpyMatrix OpenVectors()
    {
        if (Count == 0)
            throw new InputDataException($"{Folder}: holds no embeddings (every image was skipped, see {EmbeddingFiles.Skipped})");
        var m = NpyMatrix.Open(VectorsPath);
        if (m.Rows != Count || m.Columns != RowLength)
        {
            m.Dispose();
            throw new InputDataException($"{VectorsPath}: shape ({m.Rows}, {m.Columns}) does not match {EmbeddingFiles.Metadata} ({Count}, {RowLength})");
        }
        return m;
    }

    /// <summary>Opens a folder whose metadata file exists (the last file written, so the folder is complete).</summary>
    public static EmbeddingFolder Open(string folder)
    {
        var info = EmbeddingFiles.ReadInfo(folder);
        return new EmbeddingFolder(folder, info, EmbeddingFiles.ReadImages(folder), EmbeddingFiles.ReadSkipped(folder))
        {
            Warnings = EmbeddingFiles.ReadWarnings(folder),
        };
    }
}
