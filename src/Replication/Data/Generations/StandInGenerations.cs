using System.Globalization;
using System.Text;
using Replication.Core;
using Replication.Images;
using Replication.Embeddings.Store;
using Replication.Core.Files;
using Replication.Core.Formats;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Data.Generations;

/// <summary>
/// Stand-in "generations" for running the case study where no text-to-image model runs (offline, CPU): for each prompt line a
/// planted copy of a training image (with probability <c>planted</c>) or a novel image (a held-out image never in the training
/// store), both through the same mild transform (a random square crop of 90–100% of the shorter side, a coin-flip mirror, resized
/// to <c>size</c>). Everything is seeded per line. The manifest (<c>path,prompt,source_key,seed,stand_in,planted_row</c>) says which
/// is which, so that a study's findings can be checked against the truth. Labelled stand-ins everywhere: no Stable Diffusion ran.
/// </summary>
public static class StandInGenerations
{
    public static readonly string[] Columns = ["path", "prompt", "source_key", "seed", "stand_in", "planted_row"];

    /// <summary>One line to make: the prompt, its source key (or <see cref="GeneratedImage.NoSource"/>), the planting probability
    /// and, for planted lines, a fixed training row (null: a seeded random one).</summary>
    public sealed record Line(string Prompt, string SourceKey, long Seed, double Planted, long? PlantedRow = null);

    /// <param name="heldOut">Images never in the training store, for the novel stand-ins (used in turn, seeded order).</param>
    /// <returns>The generated-images manifest (<c>generations.csv</c> in <paramref name="outFolder"/>).</returns>
    public static string Make(IReadOnlyList<Line> lines, string storeFolder, IReadOnlyList<ImageRecord> heldOut, string outFolder, ulong seed, int size = 256)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentException.ThrowIfNullOrEmpty(outFolder);
        if (lines.Count == 0) throw new InputDataException("no prompts to make stand-ins for");
        if (heldOut.Count == 0) throw new InputDataException("no held-out images for the novel stand-ins");
        if (size < 16) throw new ParameterException("Size", size, "a stand-in needs at least 16 pixels");
        using var store = EmbeddingStore.Open(storeFolder);
        if (store.Count == 0) throw new InputDataException($"{storeFolder}: the store has no rows to plant copies of");
        for (int i = 0; i < lines.Count; i++)
            if (lines[i].PlantedRow is { } r && (r < 0 || r >= store.Count))
                throw new InputDataException($"stand-in line {i + 1}: planted row {r} is outside the store's rows 0..{store.Count - 1}");
        // decide every line first (seeded), then read the planted rows' images in one pass over the shards
        var state = seed;
        var plan = new (StandInKind Kind, long Row, int HeldOut)[lines.Count];
        var order = SeededPermutation.Create(heldOut.Count, seed ^ 0x5EED);
        int nextHeldOut = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            double u = (SeededPermutation.Next(ref state) >> 11) * (1.0 / (1UL << 53));
            long randomRow = (long)PromptSampler.Below((ulong)store.Count, ref state);
            if (u < lines[i].Planted) plan[i] = (StandInKind.Planted, lines[i].PlantedRow ?? randomRow, -1);
            else plan[i] = (StandInKind.Novel, -1, order[nextHeldOut++ % order.Length]);
        }
        var unreadable = new HashSet<int>();
        var images = StoreImages.Fetch(store, plan.Where(p => p.Kind == StandInKind.Planted).Select(p => p.Row));
        Directory.CreateDirectory(outFolder);
        var manifest = new StringBuilder(string.Join(",", Columns) + "\n");
        for (int i = 0; i < lines.Count; i++)
        {
            var (kind, row, held) = plan[i];
            string name = string.Create(CultureInfo.InvariantCulture, $"{i:D6}.png");
            string path = Path.Combine(outFolder, name);
            RgbImage source;
            if (kind == StandInKind.Planted)
            {
                if (!images.TryGetValue(row, out var bytes))
                    throw new InputDataException($"{storeFolder}: the image of store row {row} could not be read back from its shard (planted stand-in {i})");
                source = ImageDecoder.Decode(bytes, $"store row {row}", alpha: AlphaHandling.White);
            }
            else
            {
                source = NextReadable(heldOut, order, ref held, unreadable);
            }
            Transform(source, path, size, seed ^ (ulong)i * 0x9E3779B97F4A7C15UL);
            manifest.Append(CsvTable.Line(name, lines[i].Prompt, lines[i].SourceKey, lines[i].Seed, kind.ToString().ToLowerInvariant(),
                kind == StandInKind.Planted ? row : null)).Append('\n');
        }
        string manifestPath = Path.Combine(outFolder, "generations.csv");
        AtomicFile.WriteAllText(manifestPath, manifest.ToString());
        return manifestPath;
    }

    /// <summary>The held-out image at <paramref name="at"/>, or the next one in the seeded order that decodes (an image that does not,
    /// a decompression bomb for one, is passed over for good).</summary>
    private static RgbImage NextReadable(IReadOnlyList<ImageRecord> heldOut, int[] order, ref int at, HashSet<int> unreadable)
    {
        int start = Array.IndexOf(order, at);
        for (int step = 0; step < order.Length; step++)
        {
            int candidate = order[(start + step) % order.Length];
            if (unreadable.Contains(candidate)) continue;
            try
            {
                var image = ImageDecoder.Decode(heldOut[candidate].Path, alpha: AlphaHandling.White);
                at = candidate;
                return image;
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                unreadable.Add(candidate);
            }
        }
        throw new InputDataException($"none of the {heldOut.Count} held-out images can be decoded (e.g. {heldOut[0].Path})");
    }

    /// <summary>A random square crop of 90–100% of the shorter side, mirrored on a coin flip, resized to <paramref name="size"/>.</summary>
    private static void Transform(RgbImage rgb, string path, int size, ulong seed)
    {
        var state = seed;
        double Uniform() => (SeededPermutation.Next(ref state) >> 11) * (1.0 / (1UL << 53));
        using var image = Image.LoadPixelData<Rgb24>(rgb.Pixels, rgb.Width, rgb.Height);
        int side = Math.Max(1, (int)(Math.Min(rgb.Width, rgb.Height) * (0.90 + 0.10 * Uniform())));
        int x = (int)((rgb.Width - side) * Uniform()), y = (int)((rgb.Height - side) * Uniform());
        bool flip = Uniform() < 0.5;
        image.Mutate(c =>
        {
            c.Crop(new Rectangle(x, y, side, side));
            if (flip) c.Flip(FlipMode.Horizontal);
            c.Resize(size, size);
        });
        AtomicFile.Write(path, s => image.SaveAsPng(s));
    }

    /// <summary>Reads a stand-in manifest's truth column: per line, planted or novel.</summary>
    public static IReadOnlyList<StandInKind> Kinds(string manifest)
    {
        var table = CsvTable.Read(manifest);
        if (!table.HasColumn("stand_in")) throw new InputDataException($"{manifest}: no stand_in column (not a stand-in manifest)");
        return Enumerable.Range(0, table.Rows.Count).Select(r => table.Cell(r, "stand_in") switch
        {
            "planted" => StandInKind.Planted,
            "novel" => StandInKind.Novel,
            var other => throw new InputDataException($"{manifest}, row {r + 1}: stand_in '{other}' is neither planted nor novel"),
        }).ToList();
    }
}
