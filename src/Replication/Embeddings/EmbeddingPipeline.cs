using System.Diagnostics;
using Replication.Images;

namespace Replication.Embeddings;

/// <summary>
/// Embeds many images: decoding and preprocessing of the next batch run in parallel on all cores while the
/// model runs the current one. An image that cannot be opened or decoded is skipped with its reason (<see cref="ImageFault"/>),
/// never aborting the run; an exception from our own code is a bug and surfaces.
/// </summary>
public static class EmbeddingPipeline
{
    public static EmbeddingSet Run(IReadOnlyList<ImageRecord> images, FeatureExtractor extractor, int batchSize = 8,
        IProgress<EmbeddingProgress>? progress = null, long maxPixels = ImageDecoder.DefaultMaxPixels, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatch(extractor.Preprocessor.TensorLength), nameof(batchSize));
        var kept = new List<ImageRecord>(images.Count);
        var skipped = new List<SkippedImage>();
        var warnings = new List<ImageWarning>();
        var rows = new List<float[]>();
        int tensorLength = extractor.Preprocessor.TensorLength;
        int batches = (images.Count + batchSize - 1) / batchSize;
        var watch = Stopwatch.StartNew();
        int done = 0;

        Task<Prepared> Prepare(int b) => Task.Run(() =>
        {
            int start = b * batchSize, count = Math.Min(batchSize, images.Count - start);
            var tensor = new float[count * tensorLength];
            var ok = new bool[count];
            var reasons = new string?[count];
            var notes = new string?[count];
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancel }, i =>
            {
                try
                {
                    var record = images[start + i];
                    if (record.Refused is { } refused)
                    {
                        reasons[i] = refused; // found unusable while listing its folder
                        return;
                    }
                    var img = ImageDecoder.Decode(record.Path, maxPixels, extractor.Alpha, extractor.AcceptTruncated);
                    if (record.Crop is { } box) img = box.Apply(img, record.Path);
                    notes[i] = ImageContent.Warning(img);
                    extractor.Preprocessor.Apply(img, tensor.AsSpan(i * tensorLength, tensorLength));
                    ok[i] = true;
                }
                catch (Exception e) when (ImageFault.IsPerFile(e))
                {
                    reasons[i] = ImageFault.Describe(e); // a decoder library or the file system failed on this one file
                }
                catch (ArgumentException e) when (!ImageFault.IsPerFile(e))
                {
                    reasons[i] = e.Message; // preprocessing refused the image (e.g. a crop box outside it, an extreme aspect ratio)
                }
            });
            return new Prepared(start, count, tensor, ok, reasons, notes);
        }, cancel);

        Task<Prepared>? next = batches > 0 ? Prepare(0) : null;
        for (int b = 0; b < batches; b++)
        {
            var current = next!.GetAwaiter().GetResult();
            next = b + 1 < batches ? Prepare(b + 1) : null;
            cancel.ThrowIfCancellationRequested();
            int good = 0;
            for (int i = 0; i < current.Count; i++)
            {
                if (current.Ok[i])
                {
                    if (good != i)
                        Array.Copy(current.Tensor, i * tensorLength, current.Tensor, good * tensorLength, tensorLength);
                    kept.Add(images[current.Start + i]);
                    if (current.Notes[i] is { } note) warnings.Add(new ImageWarning(images[current.Start + i].Path, note));
                    good++;
                }
                else
                {
                    skipped.Add(new SkippedImage(images[current.Start + i].Path, current.Reasons[i]!));
                }
            }
            if (good > 0)
                rows.Add(extractor.Embed(current.Tensor, good));
            done += current.Count;
            progress?.Report(new EmbeddingProgress(done, images.Count, skipped.Count, done / watch.Elapsed.TotalSeconds));
        }
        int rowLength = extractor.RowLength;
        var vectors = new float[kept.Count * rowLength];
        int offset = 0;
        foreach (var r in rows) { r.CopyTo(vectors, offset); offset += r.Length; }
        return new EmbeddingSet(kept, vectors, rowLength, extractor.Chunks, skipped, extractor.Card.Name, warnings);
    }

    /// <summary>Bound on the preprocessed pixels of one batch (two batches are held: the one running and the next).</summary>
    public const long MaxBatchBytes = 1L << 30;

    /// <summary>The largest batch whose input tensor fits <see cref="MaxBatchBytes"/> (e.g. 445 images of 3 × 224²).</summary>
    public static int MaxBatch(int tensorLength) => (int)Math.Max(1, MaxBatchBytes / (4L * tensorLength));

    private sealed record Prepared(int Start, int Count, float[] Tensor, bool[] Ok, string?[] Reasons, string?[] Notes);
}
