using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Replication.Images;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Embeddings.WebDataset;

namespace Replication.Embeddings.Store;

/// <summary>
/// Embeds one tar shard into its folder of a store (see <see cref="StoreFiles"/>), streaming: samples are read from the tar a
/// batch at a time, decoded from memory in parallel while the model runs the batch before, and their rows and sidecar lines are
/// appended to files under temporary names. Memory is bounded by the batch, whatever the shard's size. <c>shard.json</c> is
/// written only after every other file is complete, so a run killed at any moment leaves either a done shard or one that the
/// next run embeds again from its start. One process per shard: the shard folder's own <see cref="OutputLock"/>.
/// Per-image faults follow <see cref="ImageFault"/>: the image is skipped with its reason; bugs surface.
/// </summary>
public static class ShardEmbedder
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static ShardOutcome Embed(int index, string tar, string store, FeatureExtractor extractor, string settings, int batchSize = 16,
        Action<long>? imagesDone = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentException.ThrowIfNullOrEmpty(tar);
        ArgumentException.ThrowIfNullOrEmpty(store);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var watch = Stopwatch.StartNew();
        string folder = StoreFiles.ShardFolder(store, index);
        using var shardLock = OutputLock.Acquire(folder);
        foreach (var partial in Directory.GetFiles(folder, "*.partial"))
            File.Delete(partial); // left by a run that was killed; the lock says no other writer owns them
        string fingerprint = Fingerprint(settings, tar);
        string donePath = Path.Combine(folder, StoreFiles.Done);
        if (File.Exists(donePath))
        {
            if (ReadDone(donePath) is { } done && done.Fingerprint == fingerprint && Damage(folder, done) is null)
                return new ShardOutcome(done, Reused: true, watch.Elapsed);
            File.Delete(donePath); // another input or damaged files: embedded again
            File.Delete(Path.Combine(store, StoreFiles.Manifest));
        }
        var result = Write(index, tar, folder, extractor, fingerprint, batchSize, imagesDone, cancel);
        return new ShardOutcome(result, Reused: false, watch.Elapsed);
    }

    internal static ShardDone? ReadDone(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ShardDone>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Why a done shard's files cannot be trusted, or null when they match its <c>shard.json</c>.</summary>
    public static string? Damage(string folder, ShardDone done)
    {
        ArgumentNullException.ThrowIfNull(done);
        string rows = Path.Combine(folder, StoreFiles.Rows), vectors = Path.Combine(folder, StoreFiles.Vectors);
        if (!File.Exists(rows)) return $"{StoreFiles.Rows} missing";
        if (EmbeddingFiles.Sha256Of(rows) != done.RowsSha256) return $"{StoreFiles.Rows} differs from its SHA-256 in {StoreFiles.Done}";
        if (done.Rows == 0) return null;
        if (!File.Exists(vectors)) return $"{StoreFiles.Vectors} missing";
        try
        {
            using (var m = NpyMatrix.Open(vectors))
                if (m.Rows != done.Rows || m.Columns != done.Dimension)
                    return $"{StoreFiles.Vectors} is ({m.Rows}, {m.Columns}), {StoreFiles.Done} says ({done.Rows}, {done.Dimension})";
        }
        catch (InputDataException e)
        {
            return e.Message;
        }
        return EmbeddingFiles.Sha256Of(vectors) == done.VectorsSha256 ? null : $"{StoreFiles.Vectors} differs from its SHA-256 in {StoreFiles.Done}";
    }

    /// <summary>The settings and the shard's input files as they are now (name, size, modification time of the tar and its parquet).</summary>
    public static string Fingerprint(string settings, string tar)
    {
        var sb = new StringBuilder(settings);
        foreach (var path in new[] { tar, ShardMetadata.PathFor(tar) })
        {
            var fi = new FileInfo(path);
            sb.Append('\n').Append(fi.Name).Append('\t').Append(fi.Exists ? fi.Length : -1).Append('\t').Append(fi.Exists ? fi.LastWriteTimeUtc.Ticks : 0);
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <param name="Read">Every sample read for this batch, in tar order (those without an image included).</param>
    /// <param name="Samples">The samples with an image, decoded into <paramref name="Tensor"/> where <paramref name="Ok"/>.</param>
    /// <param name="End">The tar has no more samples after these.</param>
    private sealed record Prepared(WebDatasetSample[] Read, WebDatasetSample[] Samples, float[] Tensor, bool[] Ok, string?[] Reasons, string?[] Notes, bool End);

    private static ShardDone Write(int index, string tar, string folder, FeatureExtractor extractor, string fingerprint, int batchSize,
        Action<long>? imagesDone, CancellationToken cancel)
    {
        string tarName = Path.GetFileName(tar);
        var notes = new List<string>();
        IReadOnlyDictionary<string, ShardMetadataRow>? metadata = null;
        string parquet = ShardMetadata.PathFor(tar);
        if (File.Exists(parquet))
        {
            try
            {
                metadata = ShardMetadata.Read(parquet);
            }
            catch (InputDataException e)
            {
                notes.Add($"{e.Message}; the tar's own captions and json are used");
            }
        }
        var reader = new TarShardReader(tar, metadata);
        int tensorLength = extractor.Preprocessor.TensorLength;
        NpyWriter? vectors = null;
        using var rowsFile = AtomicFile.Create(Path.Combine(folder, StoreFiles.Rows));
        using var skippedFile = AtomicFile.Create(Path.Combine(folder, StoreFiles.Skipped));
        using var warningsFile = AtomicFile.Create(Path.Combine(folder, StoreFiles.Warnings));
        var utf8 = new UTF8Encoding(false);
        long rows = 0, skipped = 0, seen = 0;
        try
        {
            using (var rowsOut = new StreamWriter(rowsFile.Stream, utf8, 1 << 16, leaveOpen: true))
            using (var skippedOut = new StreamWriter(skippedFile.Stream, utf8, 1 << 16, leaveOpen: true))
            using (var warningsOut = new StreamWriter(warningsFile.Stream, utf8, 1 << 16, leaveOpen: true))
            {
                rowsOut.Write("row,shard,key,caption,url,width,height\n");
                skippedOut.Write("key,reason\n");
                warningsOut.Write("key,warning\n");
                using var samples = reader.Samples().GetEnumerator();

                // reading the tar and decoding a batch run together in the background while the model runs the batch before
                // (one batch at a time touches the tar: the next one starts after this one is taken)
                Task<Prepared> ReadAndPrepare() => Task.Run(() =>
                {
                    var read = new List<WebDatasetSample>();
                    var batch = new List<WebDatasetSample>(batchSize);
                    bool end = false;
                    while (batch.Count < batchSize)
                    {
                        if (!samples.MoveNext())
                        {
                            end = true;
                            break;
                        }
                        read.Add(samples.Current);
                        if (samples.Current.Image is not null) batch.Add(samples.Current);
                    }
                    var tensor = new float[batch.Count * tensorLength];
                    var ok = new bool[batch.Count];
                    var reasons = new string?[batch.Count];
                    var warnings = new string?[batch.Count];
                    Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancel }, i =>
                    {
                        var s = batch[i];
                        try
                        {
                            var img = ImageDecoder.Decode(s.Image!, $"{tarName}:{s.ImageEntry}", ImageDecoder.DefaultMaxPixels, extractor.Alpha, extractor.AcceptTruncated);
                            warnings[i] = ImageContent.Warning(img);
                            extractor.Preprocessor.Apply(img, tensor.AsSpan(i * tensorLength, tensorLength));
                            ok[i] = true;
                        }
                        catch (Exception e) when (ImageFault.IsPerFile(e))
                        {
                            reasons[i] = ImageFault.Describe(e); // the decoder failed on this one image
                        }
                        catch (ArgumentException e) when (!ImageFault.IsPerFile(e))
                        {
                            reasons[i] = e.Message; // preprocessing refused the image (e.g. an extreme aspect ratio)
                        }
                    });
                    return new Prepared(read.ToArray(), batch.ToArray(), tensor, ok, reasons, warnings, end);
                }, cancel);

                Task<Prepared>? next = ReadAndPrepare();
                try
                {
                    while (next is not null)
                    {
                        var current = next.GetAwaiter().GetResult();
                        next = current.End ? null : ReadAndPrepare();
                        cancel.ThrowIfCancellationRequested();
                        seen += current.Read.Length;
                        foreach (var s in current.Read)
                        {
                            foreach (var note in s.Notes) warningsOut.Write(CsvTable.Line(s.Key, note) + "\n");
                            if (s.Image is null)
                            {
                                skippedOut.Write(CsvTable.Line(s.Key, s.Problem) + "\n");
                                skipped++;
                            }
                        }
                        int good = 0;
                        var kept = new List<WebDatasetSample>(current.Samples.Length);
                        for (int i = 0; i < current.Samples.Length; i++)
                        {
                            var s = current.Samples[i];
                            if (!current.Ok[i])
                            {
                                skippedOut.Write(CsvTable.Line(s.Key, current.Reasons[i]) + "\n");
                                skipped++;
                                continue;
                            }
                            if (good != i)
                                Array.Copy(current.Tensor, i * tensorLength, current.Tensor, good * tensorLength, tensorLength);
                            if (current.Notes[i] is { } note) warningsOut.Write(CsvTable.Line(s.Key, note) + "\n");
                            kept.Add(s);
                            good++;
                        }
                        if (good > 0)
                        {
                            var embedded = extractor.Embed(current.Tensor, good);
                            vectors ??= new NpyWriter(Path.Combine(folder, StoreFiles.Vectors), extractor.RowLength);
                            vectors.WriteRows(embedded);
                            foreach (var s in kept)
                                rowsOut.Write(CsvTable.Line(rows++, index, s.Key, s.Caption, s.Url, s.Width, s.Height) + "\n");
                        }
                        imagesDone?.Invoke(seen);
                    }
                }
                finally
                {
                    // an error or a cancellation left a batch being read: let it finish before the tar is closed
                    if (next is { IsCompleted: false }) try { next.Wait(CancellationToken.None); } catch (AggregateException) { }
                }
                foreach (var problem in reader.Problems)
                {
                    skippedOut.Write(CsvTable.Line("", problem) + "\n");
                    notes.Add(problem);
                }
            }
            int dimension = vectors?.Columns ?? 0;
            vectors?.Commit();
            rowsFile.Commit();
            skippedFile.Commit();
            warningsFile.Commit();
            string vectorsSha = rows > 0 ? EmbeddingFiles.Sha256Of(Path.Combine(folder, StoreFiles.Vectors)) : "";
            if (rows == 0) File.Delete(Path.Combine(folder, StoreFiles.Vectors)); // from an earlier input of this shard
            var done = new ShardDone(index, tar, fingerprint, rows, dimension, skipped, vectorsSha, EmbeddingFiles.Sha256Of(Path.Combine(folder, StoreFiles.Rows)), notes);
            AtomicFile.WriteAllText(Path.Combine(folder, StoreFiles.Done), JsonSerializer.Serialize(done, Json));
            return done;
        }
        finally
        {
            vectors?.Dispose();
        }
    }
}
