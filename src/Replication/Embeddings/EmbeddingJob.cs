using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Replication.Images;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Embeddings;

/// <summary>
/// Embeds a list of images into an embedding folder, resumably: work proceeds in chunks, each written as a
/// complete mini embedding folder under <c>.work-FINGERPRINT/</c>; an interrupted run picks up after the last
/// finished chunk, and the final files are assembled (streamed, never all in memory) only at the end. A folder
/// that is already complete for the same model and the same files is reused as it is.
/// </summary>
public static class EmbeddingJob
{
    public const int DefaultChunkImages = 1024;

    /// <summary>Largest chunk: a chunk's embeddings are held in memory until it is written (100,000 × 768 floats = 307 MB).</summary>
    public const int MaxChunkImages = 100_000;

    public static EmbeddingFolder Run(IReadOnlyList<ImageRecord> images, FeatureExtractor extractor, string folder,
        int batchSize = 16, int chunkImages = DefaultChunkImages, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkImages);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkImages, MaxChunkImages);
        using var outputLock = OutputLock.Acquire(folder);
        RemoveStalePartials(folder);
        string fingerprint = Fingerprint(extractor.Card, images, chunkImages, extractor.Alpha, extractor.AcceptTruncated);
        if (File.Exists(Path.Combine(folder, EmbeddingFiles.Metadata)))
        {
            var existing = EmbeddingFolder.Open(folder);
            if (existing.Info.Fingerprint == fingerprint)
            {
                if (Damage(existing, images.Count) is not { } damage)
                {
                    progress?.Report(new EmbeddingProgress(images.Count, images.Count, existing.Skipped.Count, 0));
                    return existing;
                }
                Console.Error.WriteLine($"warning: {folder}: the finished output does not verify ({damage}); embedding again");
            }
            File.Delete(Path.Combine(folder, EmbeddingFiles.Metadata)); // not finished any more until assembled again
        }
        foreach (var stale in Directory.GetDirectories(folder, ".work-*").Where(d => Path.GetFileName(d) != $".work-{fingerprint[..16]}"))
            Directory.Delete(stale, recursive: true); // another layout (model, files, chunking): never mixed in
        string work = Path.Combine(folder, $".work-{fingerprint[..16]}");
        Directory.CreateDirectory(work);
        RemoveStalePartials(work);
        int chunks = (images.Count + chunkImages - 1) / chunkImages;
        var watch = Stopwatch.StartNew();
        int doneBefore = 0, skippedBefore = 0, embeddedNow = 0;
        for (int c = 0; c < chunks; c++)
        {
            string chunkFolder = Path.Combine(work, $"chunk-{c:D6}");
            var slice = images.Skip(c * chunkImages).Take(chunkImages).ToList();
            if (File.Exists(Path.Combine(chunkFolder, EmbeddingFiles.Metadata)))
            {
                var done = EmbeddingFolder.Open(chunkFolder);
                if (Damage(done, slice.Count) is null)
                {
                    doneBefore += slice.Count;
                    skippedBefore += done.Info.SkippedCount;
                    continue;
                }
                Directory.Delete(chunkFolder, recursive: true); // damaged: embedded again
            }
            int offset = doneBefore, skippedOffset = skippedBefore, fresh = embeddedNow;
            var chunkProgress = progress is null ? null : new CallbackProgress<EmbeddingProgress>(p =>
                progress.Report(new EmbeddingProgress(offset + p.Done, images.Count, skippedOffset + p.Skipped, (fresh + p.Done) / watch.Elapsed.TotalSeconds)));
            var set = EmbeddingPipeline.Run(slice, extractor, batchSize, chunkProgress, cancel: cancel);
            EmbeddingFiles.Write(chunkFolder, set);
            doneBefore += slice.Count;
            skippedBefore += set.Skipped.Count;
            embeddedNow += slice.Count;
        }
        Assemble(work, chunks, folder, extractor.Card.Name, fingerprint, extractor.Alpha.ToString(), extractor.AcceptTruncated);
        Directory.Delete(work, recursive: true);
        return EmbeddingFolder.Open(folder);
    }

    private static void Assemble(string work, int chunks, string folder, string model, string fingerprint, string alpha, bool acceptTruncated)
    {
        var parts = Enumerable.Range(0, chunks).Select(c => EmbeddingFolder.Open(Path.Combine(work, $"chunk-{c:D6}"))).ToList();
        int dim = parts.FirstOrDefault(p => p.Count > 0)?.RowLength ?? 0;
        int tokens = parts.FirstOrDefault(p => p.Count > 0)?.Chunks ?? 1;
        foreach (var name in new[] { EmbeddingFiles.Metadata, EmbeddingFiles.Vectors })
            File.Delete(Path.Combine(folder, name));
        int rows = 0;
        if (dim > 0)
        {
            using var writer = new NpyWriter(Path.Combine(folder, EmbeddingFiles.Vectors), dim);
            var buffer = new float[1024 * dim];
            foreach (var p in parts.Where(p => p.Count > 0))
            {
                using var m = p.OpenVectors();
                for (int r = 0; r < m.Rows; r += 1024)
                {
                    int n = (int)Math.Min(1024, m.Rows - r);
                    m.ReadRows(r, n, buffer);
                    writer.WriteRows(buffer.AsSpan(0, n * dim));
                }
            }
            rows = (int)writer.Rows;
            writer.Commit();
        }
        var sidecar = new StringBuilder("row,id,path,caption,label\n");
        int row = 0;
        foreach (var img in parts.SelectMany(p => p.Images))
            sidecar.Append(CsvTable.Line(row++, img.Id, img.Path, img.Caption, img.Label)).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(folder, EmbeddingFiles.Sidecar), sidecar.ToString());
        var skipped = parts.SelectMany(p => p.Skipped).ToList();
        EmbeddingFiles.WriteSkipped(Path.Combine(folder, EmbeddingFiles.Skipped), skipped);
        EmbeddingFiles.WriteWarnings(Path.Combine(folder, EmbeddingFiles.Warnings), parts.SelectMany(p => p.Warnings));
        string sha = rows > 0 ? EmbeddingFiles.Sha256Of(Path.Combine(folder, EmbeddingFiles.Vectors)) : "";
        var info = new EmbeddingFiles.Info(model, rows, dim, tokens, skipped.Count, fingerprint, sha, alpha, acceptTruncated);
        AtomicFile.WriteAllText(Path.Combine(folder, EmbeddingFiles.Metadata), JsonSerializer.Serialize(info, ModelCard.Json));
    }

    /// <summary>
    /// Names what decodes the images; part of the fingerprint, so that outputs made by another decoder are not reused.
    /// Bump the revision when decoding changes in a way the library versions do not show (e.g. alpha handling).
    /// </summary>
    public static readonly string DecoderIdentity =
        $"decoding r2 (transparency per AlphaHandling, in the fingerprint separately; near-constant warnings); ImageSharp {typeof(SixLabors.ImageSharp.Image).Assembly.GetName().Version}; " +
        $"SkiaSharp {typeof(SkiaSharp.SKCodec).Assembly.GetName().Version}";

    /// <summary>Why a finished folder cannot be trusted for <paramref name="images"/> inputs, or null when its files agree with its metadata.</summary>
    internal static string? Damage(EmbeddingFolder folder, int images)
    {
        var info = folder.Info;
        if (info.Rows + info.SkippedCount != images)
            return $"{info.Rows} rows and {info.SkippedCount} skipped for {images} images";
        if (folder.Images.Count != info.Rows || folder.Skipped.Count != info.SkippedCount)
            return $"{EmbeddingFiles.Sidecar} or {EmbeddingFiles.Skipped} disagrees with {EmbeddingFiles.Metadata}";
        if (info.Rows == 0)
            return null;
        try
        {
            using var m = folder.OpenVectors();
            long size = m.Header.DataOffset + m.Rows * m.Columns * m.Header.ElementSize;
            if (new FileInfo(folder.VectorsPath).Length != size)
                return $"{EmbeddingFiles.Vectors} has {new FileInfo(folder.VectorsPath).Length} bytes, its header says {size}";
            return info.VectorsSha256.Length == 0 || EmbeddingFiles.Sha256Of(folder.VectorsPath) == info.VectorsSha256
                ? null
                : $"{EmbeddingFiles.Vectors} differs from the SHA-256 recorded in {EmbeddingFiles.Metadata}";
        }
        catch (Exception e) when (e is InputDataException or IOException)
        {
            return e.Message;
        }
    }

    private static void RemoveStalePartials(string folder)
    {
        // only runs with this folder's lock held: no other writer can own these
        foreach (var partial in Directory.GetFiles(folder, "*.partial"))
            File.Delete(partial);
    }

    /// <summary>
    /// Hash of everything that shapes the output: the model (name, sha256, preprocessing, output), the decoder
    /// (<see cref="DecoderIdentity"/>), the chunking, and every input file (id, path, metadata, size, modification time).
    /// </summary>
    public static string Fingerprint(ModelCard card, IReadOnlyList<ImageRecord> images, int chunkImages = DefaultChunkImages, AlphaHandling? alpha = null, bool acceptTruncated = false)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(images);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { hash.AppendData(Encoding.UTF8.GetBytes(s)); hash.AppendData([0]); }
        Add(DecoderIdentity);
        Add($"chunk {chunkImages}");
        Add(card.Name);
        Add(card.Sha256);
        Add(JsonSerializer.Serialize(card.Input, ModelCard.Json));
        Add(JsonSerializer.Serialize(card.Output, ModelCard.Json));
        Add((alpha ?? AlphaHandling.White).ToString());
        if (acceptTruncated) Add("truncated images accepted"); // absent by default: fingerprints of earlier outputs stay valid
        foreach (var img in images)
        {
            var fi = new FileInfo(img.Path);
            Add($"{img.Id}\t{img.Path}\t{img.Caption}\t{img.Label}\t{img.Crop}\t{img.Refused}\t{(fi.Exists ? fi.Length : -1)}\t{(fi.Exists ? fi.LastWriteTimeUtc.Ticks : 0)}");
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
