using System.Text.Json;
using Replication.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Datasets;

/// <summary>
/// Writes a synthetic copy dataset, deterministic for a seed: <c>gallery/</c> (the source images, flattened onto
/// white), <c>queries/</c> (one copy per query), <c>gt.json</c> (each query's source as its only positive),
/// <c>queries.csv</c> (how each query was made) and <c>dataset.json</c> (the recipe), written last; a folder whose
/// recipe matches is reused as it is. Sources come from a folder
/// of images; PNGs with alpha give the object masks that Segmix cuts by (COCO or Pascal VOC masks plug in the same way).
/// A third of the sources, never in the gallery, serve as backgrounds for Cutmix and Segmix.
/// </summary>
public static class SyntheticCopyGenerator
{
    public const string Marker = "dataset.json";

    /// <summary>Bumped whenever the same recipe would produce different images, so that old folders are regenerated.</summary>
    public const int GeneratorVersion = 2;

    public static CopyDataset Generate(SyntheticCopyKind kind, string sourcesFolder, string outputFolder, int queries, int seed = 0, IOutpaintFill? fill = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queries);
        fill ??= new HarmonicFill();
        string datasetRecipe = JsonSerializer.Serialize(new
        {
            generator = GeneratorVersion, kind = kind.ToString(), seed, queries, fill = fill.Name, sources = Path.GetFullPath(sourcesFolder),
        }, new JsonSerializerOptions { WriteIndented = true });
        // the same recipe was already written completely: keep it (and every embedding cached for it)
        string marker = Path.Combine(outputFolder, Marker);
        if (File.Exists(marker) && File.ReadAllText(marker) == datasetRecipe)
            return CopyDatasetFolder.Open(outputFolder);
        // string and HashCode hashes are randomised per process: mix the seed and the kind arithmetically
        var rng = new Random(unchecked(seed * 7919 + (int)kind + 1));
        var sources = ImageCollection.FromFolder(sourcesFolder).Select(r => r.Path).ToList();
        SourceImages.Shuffle(sources, new Random(seed));
        int backgroundCount = Math.Max(1, sources.Count / 3);
        var backgrounds = sources.Take(backgroundCount).ToList();
        var gallery = sources.Skip(backgroundCount).ToList();
        if (gallery.Count < 2)
            throw new InvalidDataException($"{sourcesFolder}: needs at least 3 source images, found {sources.Count}");
        var withAlpha = gallery.Select((p, i) => (p, i)).Where(x => HasAlpha(x.p)).Select(x => x.i).ToList();
        if (kind == SyntheticCopyKind.Segmix && withAlpha.Count == 0)
            throw new InvalidDataException($"{sourcesFolder}: Segmix needs source images with an alpha mask (PNG with transparency)");

        var writer = new CopyDatasetWriter(outputFolder, gallery);
        for (int q = 0; q < queries; q++)
        {
            int source = kind == SyntheticCopyKind.Segmix ? withAlpha[rng.Next(withAlpha.Count)] : rng.Next(gallery.Count);
            string? background = kind is SyntheticCopyKind.Cutmix or SyntheticCopyKind.Segmix ? backgrounds[rng.Next(backgrounds.Count)] : null;
            string recipe;
            using var image = kind switch
            {
                SyntheticCopyKind.Cutmix => Cutmix(gallery[source], background!, rng, out recipe),
                SyntheticCopyKind.Segmix => Segmix(gallery[source], background!, rng, out recipe),
                SyntheticCopyKind.DiagonalOutpaint => Diagonal(gallery[source], fill, rng, out recipe),
                _ => Patch(gallery[source], fill, rng, out recipe),
            };
            writer.AddQuery(image, source, background, recipe);
        }
        return writer.Finish(marker, datasetRecipe);
    }

    private static Image<Rgb24> Cutmix(string source, string background, Random rng, out string recipe)
    {
        using var src = SourceImages.LoadFlattened(source);
        var bg = SourceImages.LoadFlattened(background);
        int side = (int)(Math.Min(src.Width, src.Height) * (0.3 + 0.4 * rng.NextDouble()));
        side = Math.Max(8, Math.Min(side, Math.Min(bg.Width, bg.Height)));
        var from = new Rectangle(rng.Next(src.Width - side + 1), rng.Next(src.Height - side + 1), side, side);
        var to = new Point(rng.Next(bg.Width - side + 1), rng.Next(bg.Height - side + 1));
        using var patch = src.Clone(x => x.Crop(from));
        bg.Mutate(x => x.DrawImage(patch, to, 1f));
        recipe = $"patch {side}px from ({from.X},{from.Y}) to ({to.X},{to.Y})";
        return bg;
    }

    private static Image<Rgb24> Segmix(string source, string background, Random rng, out string recipe)
    {
        using var obj = Image.Load<Rgba32>(source);
        var bg = SourceImages.LoadFlattened(background);
        recipe = PasteAugmented(obj, bg, moveAndResize: true, rng);
        return bg;
    }

    /// <summary>
    /// Segmix's augmentations (flip, blur, autocontrast, solarize, colour jitter, grayscale, each at random) on a cut-out
    /// with alpha; objects are also resized, rotated and moved, a background region is pasted over the whole frame.
    /// </summary>
    private static string PasteAugmented(Image<Rgba32> obj, Image<Rgb24> bg, bool moveAndResize, Random rng)
    {
        var steps = new List<string>();
        if (rng.NextDouble() < 0.5) { obj.Mutate(x => x.Flip(FlipMode.Horizontal)); steps.Add("flip"); }
        if (rng.NextDouble() < 0.3) { float s = 0.8f + (float)rng.NextDouble(); obj.Mutate(x => x.GaussianBlur(s)); steps.Add($"blur {s:0.0}"); }
        if (rng.NextDouble() < 0.3) { AutoContrast(obj); steps.Add("autocontrast"); }
        if (rng.NextDouble() < 0.2) { Solarize(obj, 128); steps.Add("solarize"); }
        if (rng.NextDouble() < 0.5)
        {
            float b = 0.7f + 0.6f * (float)rng.NextDouble(), c = 0.7f + 0.6f * (float)rng.NextDouble(), sat = 0.5f + (float)rng.NextDouble();
            int hue = rng.Next(-25, 26);
            obj.Mutate(x => x.Brightness(b).Contrast(c).Saturate(sat).Hue(hue));
            steps.Add($"jitter b{b:0.00} c{c:0.00} s{sat:0.00} h{hue}");
        }
        if (rng.NextDouble() < 0.2) { obj.Mutate(x => x.Grayscale()); steps.Add("grayscale"); }
        string augmentations = string.Join(", ", steps.DefaultIfEmpty("no augmentation"));
        if (!moveAndResize)
        {
            obj.Mutate(x => x.Resize(bg.Width, bg.Height));
            bg.Mutate(x => x.DrawImage(obj, new Point(0, 0), 1f));
            return $"background region over the whole frame; {augmentations}";
        }
        double scale = (0.45 + 0.45 * rng.NextDouble()) * Math.Min(bg.Width, bg.Height) / Math.Max(obj.Width, obj.Height);
        float angle = (float)(rng.NextDouble() * 60 - 30);
        obj.Mutate(x => x.Resize(Math.Max(4, (int)(obj.Width * scale)), Math.Max(4, (int)(obj.Height * scale))).Rotate(angle));
        if (obj.Width > bg.Width || obj.Height > bg.Height)
            obj.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(bg.Width, bg.Height), Mode = ResizeMode.Max }));
        var at = new Point(rng.Next(bg.Width - obj.Width + 1), rng.Next(bg.Height - obj.Height + 1));
        bg.Mutate(x => x.DrawImage(obj, at, 1f));
        return $"object ×{scale:0.00} rotated {angle:0}° at ({at.X},{at.Y}); {augmentations}";
    }

    /// <summary>
    /// Segmix from a segmentation dataset (COCO, Pascal VOC): the images that hold the objects form the gallery, except
    /// a third kept apart as backgrounds; each query pastes one object (cut by its mask, augmented, resized, rotated,
    /// moved) or, three times in ten, the background region around it, into a background image.
    /// </summary>
    public static CopyDataset GenerateSegmix(IReadOnlyList<MaskedObject> objects, string outputFolder, int queries, int seed = 0, string maskSource = "masks")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queries);
        string datasetRecipe = JsonSerializer.Serialize(new
        {
            generator = GeneratorVersion, kind = "Segmix", seed, queries, masks = maskSource, objects = objects.Count,
        }, new JsonSerializerOptions { WriteIndented = true });
        string marker = Path.Combine(outputFolder, Marker);
        if (File.Exists(marker) && File.ReadAllText(marker) == datasetRecipe)
            return CopyDatasetFolder.Open(outputFolder);
        var images = objects.Select(o => o.ImagePath).Distinct().Order(StringComparer.Ordinal).ToList();
        SourceImages.Shuffle(images, new Random(seed));
        var backgrounds = images.Take(Math.Max(1, images.Count / 3)).ToList();
        var gallery = images.Skip(backgrounds.Count).ToList();
        var usable = objects.Where(o => gallery.Contains(o.ImagePath)).ToList();
        if (gallery.Count == 0 || usable.Count == 0)
            throw new InvalidDataException($"{maskSource}: needs objects in at least 2 different images ({images.Count} found)");

        var writer = new CopyDatasetWriter(outputFolder, gallery);
        var rng = new Random(unchecked(seed * 7919 + 101));
        for (int q = 0; q < queries; q++)
        {
            var o = usable[rng.Next(usable.Count)];
            int source = gallery.IndexOf(o.ImagePath);
            string background = backgrounds[rng.Next(backgrounds.Count)];
            bool region = rng.NextDouble() < 0.3;
            var mask = o.LoadMask();
            using var cut = Image.Load<Rgba32>(o.ImagePath);
            if (cut.Width != mask.Width || cut.Height != mask.Height)
                throw new InvalidDataException($"{o.ImagePath}: {cut.Width}x{cut.Height}, its mask is {mask.Width}x{mask.Height}");
            cut.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                        if (mask.Inside[y * row.Length + x] == region) row[x] = new Rgba32(0, 0, 0, 0);
                }
            });
            if (!region) CropToOpaque(cut);
            using var bg = SourceImages.LoadFlattened(background);
            string recipe = $"{o.Label}: " + PasteAugmented(cut, bg, moveAndResize: !region, rng);
            writer.AddQuery(bg, source, background, recipe);
        }
        return writer.Finish(marker, datasetRecipe);
    }

    /// <summary>Crops an RGBA image to the bounding box of its visible pixels.</summary>
    private static void CropToOpaque(Image<Rgba32> img)
    {
        int x0 = img.Width, y0 = img.Height, x1 = -1, y1 = -1;
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    if (row[x].A > 0) { x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y); }
            }
        });
        if (x1 >= x0) img.Mutate(c => c.Crop(new Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1)));
    }

    private static Image<Rgb24> Diagonal(string source, IOutpaintFill fill, Random rng, out string recipe)
    {
        var img = SourceImages.LoadFlattened(source);
        int w = img.Width, h = img.Height;
        bool anti = rng.Next(2) == 1, above = rng.Next(2) == 1;
        var known = new bool[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double u = (x + 0.5) / w, v = (y + 0.5) / h;
                double side = anti ? (1 - u) - v : u - v; // > 0 above the diagonal
                known[y * w + x] = above ? side > 0 : side < 0;
            }
        fill.Fill(img, known, rng);
        recipe = $"kept the half {(above ? "above" : "below")} the {(anti ? "anti-" : "")}diagonal; filled with {fill.Name}";
        return img;
    }

    private static Image<Rgb24> Patch(string source, IOutpaintFill fill, Random rng, out string recipe)
    {
        var img = SourceImages.LoadFlattened(source);
        int w = img.Width, h = img.Height;
        int side = Math.Min(Math.Min(w, h), (int)Math.Round(Math.Sqrt(0.2 * w * h)));
        int x0 = rng.Next(w - side + 1), y0 = rng.Next(h - side + 1);
        var known = new bool[w * h];
        for (int y = y0; y < y0 + side; y++)
            for (int x = x0; x < x0 + side; x++)
                known[y * w + x] = true;
        fill.Fill(img, known, rng);
        recipe = $"kept {side}px square at ({x0},{y0}); filled with {fill.Name}";
        return img;
    }


    private static bool HasAlpha(string path)
    {
        using var img = Image.Load<Rgba32>(path);
        bool transparent = false;
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height && !transparent; y++)
                foreach (var p in rows.GetRowSpan(y))
                    if (p.A < 128) { transparent = true; break; }
        });
        return transparent;
    }

    /// <summary>PIL's ImageOps.autocontrast (cutoff 0): each colour channel stretched from its own min–max to 0–255.</summary>
    internal static void AutoContrast(Image<Rgba32> img)
    {
        int[] lo = [255, 255, 255], hi = [0, 0, 0];
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
                foreach (var p in rows.GetRowSpan(y))
                {
                    if (p.A == 0) continue;
                    lo[0] = Math.Min(lo[0], p.R); hi[0] = Math.Max(hi[0], p.R);
                    lo[1] = Math.Min(lo[1], p.G); hi[1] = Math.Max(hi[1], p.G);
                    lo[2] = Math.Min(lo[2], p.B); hi[2] = Math.Max(hi[2], p.B);
                }
        });
        byte Map(byte v, int c) => hi[c] <= lo[c] ? v : (byte)Math.Clamp((v - lo[c]) * 255 / (hi[c] - lo[c]), 0, 255);
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    row[x] = new Rgba32(Map(row[x].R, 0), Map(row[x].G, 1), Map(row[x].B, 2), row[x].A);
            }
        });
    }

    /// <summary>PIL's ImageOps.solarize: channel values at or above the threshold are inverted.</summary>
    internal static void Solarize(Image<Rgba32> img, byte threshold)
    {
        byte S(byte v) => v >= threshold ? (byte)(255 - v) : v;
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    row[x] = new Rgba32(S(row[x].R), S(row[x].G), S(row[x].B), row[x].A);
            }
        });
    }
}
