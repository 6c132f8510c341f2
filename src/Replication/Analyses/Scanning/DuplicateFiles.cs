using System.Security.Cryptography;
using Replication.Images;

namespace Replication.Analyses.Scanning;

/// <summary>
/// Byte-identical image files inside and across the generated and training sets, found before any embedding: files are
/// grouped by size first and only files sharing a size are hashed (SHA-256), so a set of distinct files is never read. Above
/// <see cref="MaxFiles"/> files in all the check is skipped and says so (hash-while-embedding is the way at web scale).
/// </summary>
public static class DuplicateFiles
{
    public const int MaxFiles = 200_000;

    /// <param name="AcrossExample">A generated file and the training file it duplicates, when there is one.</param>
    public sealed record Report(int TrainingDuplicates, int GeneratedDuplicates, int Across, (string Generated, string Training)? AcrossExample, string? Skipped);

    public static Report Find(IReadOnlyList<ImageRecord> generated, IReadOnlyList<ImageRecord> training)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(training);
        if (generated.Count + training.Count > MaxFiles)
            return new(0, 0, 0, null, $"duplicate-file check skipped: {generated.Count + training.Count} files is above {MaxFiles}");
        var entries = generated.Select(r => (r.Path, Side: 'g')).Concat(training.Select(r => (r.Path, Side: 't')))
            .DistinctBy(e => (e.Path, e.Side))
            .Select(e => (e.Path, e.Side, Size: SizeOf(e.Path)))
            .Where(e => e.Size > 0)
            .GroupBy(e => e.Size).Where(g => g.Count() > 1);
        int train = 0, gen = 0, across = 0;
        (string, string)? acrossExample = null;
        foreach (var sameSize in entries)
        {
            foreach (var sameHash in sameSize.GroupBy(e => Hash(e.Path)).Where(h => h.Key != null && h.Count() > 1))
            {
                var items = sameHash.ToList();
                int t = items.Count(i => i.Side == 't'), g = items.Count(i => i.Side == 'g');
                train += t > 1 ? t - 1 : 0;
                gen += g > 1 ? g - 1 : 0;
                across += t > 0 && g > 0 ? g : 0;
                if (t > 0 && g > 0 && acrossExample is null)
                    acrossExample = (items.First(i => i.Side == 'g').Path, items.First(i => i.Side == 't').Path);
            }
        }
        return new(train, gen, across, acrossExample, null);
    }

    /// <summary>Warnings for the report, empty when there are no duplicates.</summary>
    public static IEnumerable<string> Warnings(Report r)
    {
        if (r.Skipped is { } s) yield return s;
        if (r.Across > 0) yield return $"{r.Across} generated file(s) are byte-identical to a training file (e.g. {r.AcrossExample?.Generated} = {r.AcrossExample?.Training}): they are copies by construction";
        if (r.TrainingDuplicates > 0) yield return $"{r.TrainingDuplicates} training file(s) duplicate another training file byte for byte: they raise the training set's self-similarity baseline";
        if (r.GeneratedDuplicates > 0) yield return $"{r.GeneratedDuplicates} generated file(s) duplicate another generated file byte for byte";
    }

    private static long SizeOf(string path)
    {
        try { return new FileInfo(path).Length; }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
    }

    private static string? Hash(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
