using Replication.Core.Files;
using System.Text.Json;
using Replication.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Data.Datasets;

/// <summary>
/// Writes a synthetic copy dataset, deterministic for a seed, the way round the official evaluation reads it
/// (<c>TwoLeveldataset</c> in utils_ret.py: the first image of each folder is the query, the next four are the
/// gallery): each source image is a query (<c>queries/</c>) and its <c>copiesPerSource</c> copies (4 by default) are its
/// positives in <c>gallery/</c>; <c>gt.json</c>, <c>copies.csv</c> (how each copy was made: its draws) and
/// <c>dataset.json</c> (the recipe, written last; a folder whose recipe matches is reused as it is).
/// A third of the sources, never queries, are the donors and backgrounds that Cutmix and Segmix mix with; a donor is
/// resized to its source's size (the official code mixes images of one batch, all of one size).
/// </summary>
public static class SyntheticCopyGenerator
{
    public const string Marker = "dataset.json";

    /// <summary>Bumped whenever the same recipe would produce different images, so that old folders are regenerated.</summary>
    public const int GeneratorVersion = 5; // 4: sources flattened with Pillow's alpha_composite arithmetic; 5: distinct Cutmix donors per source

    /// <summary>Copies per source in the official evaluation (<c>TwoLeveldataset</c>'s <c>numvals</c> = 4).</summary>
    public const int DefaultCopiesPerSource = 4;

    /// <summary>
    /// From a folder of images: up to <paramref name="queries"/> sources (fewer when the folder has fewer outside the donors),
    /// each with <paramref name="copiesPerSource"/> copies.
    /// Segmix takes its label maps from PNG alpha (opaque = class 1, the rest background 0).
    /// </summary>
    public static CopyDataset Generate(SyntheticCopyKind kind, string sourcesFolder, string outputFolder, int queries, int seed = 0,
        IOutpaintFill? fill = null, int copiesPerSource = DefaultCopiesPerSource)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copiesPerSource);
        fill ??= new HarmonicFill();
        string datasetRecipe = Recipe(new
        {
            generator = GeneratorVersion, kind = kind.ToString(), seed, queries, copies = copiesPerSource,
            fill = IsOutpaint(kind) ? fill.Name : null, sources = Path.GetFullPath(sourcesFolder),
        });
        string marker = Path.Combine(outputFolder, Marker);
        if (File.Exists(marker) && File.ReadAllText(marker) == datasetRecipe)
            return CopyDatasetFolder.Open(outputFolder);
        var sources = ImageCollection.FromFolder(sourcesFolder).Where(r => r.Refused is null).Select(r => r.Path).ToList();
        SourceImages.Shuffle(sources, new Random(seed));
        int donorCount = Math.Max(1, sources.Count / 3);
        var donors = sources.Take(donorCount).ToList();
        var candidates = sources.Skip(donorCount).ToList();
        if (kind == SyntheticCopyKind.Segmix) candidates = candidates.Where(HasAlpha).ToList();
        if (candidates.Count == 0)
            throw new InputDataException($"{sourcesFolder}: no source image{(kind == SyntheticCopyKind.Segmix ? " with an alpha mask (PNG with transparency)" : "")} outside the {donorCount} donors");
        queries = Math.Min(queries, candidates.Count);
        // string and HashCode hashes are randomised per process: mix the seed and the kind arithmetically
        var rng = new Random(unchecked(seed * 7919 + (int)kind + 1));
        var writer = new CopyDatasetWriter(outputFolder);
        for (int q = 0; q < queries; q++)
        {
            using var source = SourceImages.LoadFlattened(candidates[q]);
            var copies = kind switch
            {
                SyntheticCopyKind.Cutmix => CutmixCopies(source, donors, copiesPerSource, rng),
                SyntheticCopyKind.Segmix => SegmixCopies(source, LabelMap.FromAlpha(candidates[q]), donors, copiesPerSource, rng),
                SyntheticCopyKind.SquarePaste => Enumerable.Range(0, copiesPerSource).Select(_ => SquarePaste(source, donors, rng)).ToList(),
                _ => Enumerable.Range(0, copiesPerSource).Select(_ => Outpaint(kind, source, fill, rng)).ToList(),
            };
            writer.AddQuery(candidates[q], copies);
            foreach (var c in copies) c.Image.Dispose();
        }
        return writer.Finish(marker, datasetRecipe);
    }

    /// <summary>
    /// Segmix from a segmentation dataset (COCO, Pascal VOC): the objects of each image form its semantic label map
    /// (classes numbered by label name, 1-based, background 0). A third of the images are backgrounds; of the rest,
    /// up to <paramref name="queries"/> are queries, each with <paramref name="copiesPerSource"/> Segmix copies.
    /// </summary>
    public static CopyDataset GenerateSegmix(IReadOnlyList<MaskedObject> objects, string outputFolder, int queries, int seed = 0,
        string maskSource = "masks", int copiesPerSource = DefaultCopiesPerSource)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copiesPerSource);
        string datasetRecipe = Recipe(new
        {
            generator = GeneratorVersion, kind = "Segmix", seed, queries, copies = copiesPerSource, masks = maskSource, objects = objects.Count,
        });
        string marker = Path.Combine(outputFolder, Marker);
        if (File.Exists(marker) && File.ReadAllText(marker) == datasetRecipe)
            return CopyDatasetFolder.Open(outputFolder);
        var images = objects.Select(o => o.ImagePath).Distinct().Order(StringComparer.Ordinal).ToList();
        SourceImages.Shuffle(images, new Random(seed));
        var backgrounds = images.Take(Math.Max(1, images.Count / 3)).ToList();
        var candidates = images.Skip(backgrounds.Count).ToList();
        if (candidates.Count == 0)
            throw new InputDataException($"{maskSource}: needs objects in at least 2 different images ({images.Count} found)");
        queries = Math.Min(queries, candidates.Count);
        var classIds = objects.Select(o => o.Label).Distinct().Order(StringComparer.Ordinal)
            .Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i + 1);
        var writer = new CopyDatasetWriter(outputFolder);
        var rng = new Random(unchecked(seed * 7919 + 101));
        for (int q = 0; q < queries; q++)
        {
            var labels = LabelMap.FromObjects(objects.Where(o => o.ImagePath == candidates[q]).ToList(), classIds);
            using var source = SourceImages.LoadFlattened(candidates[q]);
            if (source.Width != labels.Width || source.Height != labels.Height)
                throw new InputDataException($"{candidates[q]}: {source.Width}x{source.Height}, its masks are {labels.Width}x{labels.Height}");
            var copies = SegmixCopies(source, labels, backgrounds, copiesPerSource, rng);
            writer.AddQuery(candidates[q], copies);
            foreach (var c in copies) c.Image.Dispose();
        }
        return writer.Finish(marker, datasetRecipe);
    }

    private static List<SyntheticCopy> CutmixCopies(Image<Rgb24> source, IReadOnlyList<string> donors, int copies, Random rng)
    {
        var result = new List<SyntheticCopy>();
        foreach (var d in Cutmix.Draw(rng, copies, source.Height, source.Width, donors.Count))
        {
            using var donor = Donor(donors[d.Donor], source.Width, source.Height);
            var box = Cutmix.Box(d, source.Height, source.Width);
            result.Add(new SyntheticCopy(Cutmix.Render(source, donor, d), donors[d.Donor],
                $"λ {d.Lambda:0.0000}; source is the {(d.SourceIsForeground ? "patch" : "background")}; rows {box.Top}–{box.Bottom}, columns {box.Left}–{box.Right} (end excluded)"));
        }
        return result;
    }

    private static List<SyntheticCopy> SegmixCopies(Image<Rgb24> source, LabelMap labels, IReadOnlyList<string> backgrounds, int copies, Random rng)
    {
        var classes = Segmix.EligibleClasses(labels);
        var src = TensorImage.FromImage(source);
        var result = new List<SyntheticCopy>();
        for (int c = 0; c < copies; c++)
        {
            // a class that vanishes after resizing (or leaves an empty box) is redrawn; the official code drops the batch
            for (int attempt = 0; ; attempt++)
            {
                var d = Segmix.Draw(rng, classes);
                string bgPath = backgrounds[rng.Next(backgrounds.Count)];
                using var bg = Donor(bgPath, source.Width, source.Height);
                var background = TensorImage.FromImage(bg);
                var copy = Segmix.Render(src, labels, background, d);
                if (copy is not null && !copy.Data.AsSpan().SequenceEqual(background.Data))
                {
                    result.Add(new SyntheticCopy(copy.ToImage(), bgPath, d.ToString()));
                    break;
                }
                if (attempt == 20) throw new InputDataException($"Segmix: no class of a {source.Width}x{source.Height} source survives its transforms in 20 draws");
            }
        }
        return result;
    }

    private static SyntheticCopy SquarePaste(Image<Rgb24> source, IReadOnlyList<string> donors, Random rng)
    {
        string donorPath = donors[rng.Next(donors.Count)];
        var bg = SourceImages.LoadFlattened(donorPath);
        int side = (int)(Math.Min(source.Width, source.Height) * (0.3 + 0.4 * rng.NextDouble()));
        side = Math.Max(8, Math.Min(side, Math.Min(Math.Min(bg.Width, bg.Height), Math.Min(source.Width, source.Height))));
        var from = new Rectangle(rng.Next(source.Width - side + 1), rng.Next(source.Height - side + 1), side, side);
        var to = new Point(rng.Next(bg.Width - side + 1), rng.Next(bg.Height - side + 1));
        using var patch = source.Clone(x => x.Crop(from));
        bg.Mutate(x => x.DrawImage(patch, to, 1f));
        return new SyntheticCopy(bg, donorPath, $"square {side}px from ({from.X},{from.Y}) to ({to.X},{to.Y})");
    }

    private static SyntheticCopy Outpaint(SyntheticCopyKind kind, Image<Rgb24> source, IOutpaintFill fill, Random rng)
    {
        var img = source.Clone();
        int w = img.Width, h = img.Height;
        bool[] known;
        string recipe;
        if (kind == SyntheticCopyKind.DiagonalOutpaint)
        {
            bool anti = rng.Next(2) == 1, above = rng.Next(2) == 1;
            known = OutpaintRegions.Diagonal(w, h, anti, above);
            recipe = $"kept the half {(above ? "above" : "below")} the {(anti ? "anti-" : "")}diagonal";
        }
        else
        {
            int side = OutpaintRegions.PatchSide(w, h);
            int x0 = rng.Next(w - side + 1), y0 = rng.Next(h - side + 1);
            known = OutpaintRegions.Patch(w, h, x0, y0, side);
            recipe = $"kept {side}px square at ({x0},{y0})";
        }
        fill.Fill(img, known, rng);
        return new SyntheticCopy(img, null, $"{recipe}; filled with {fill.Name}");
    }

    private static bool IsOutpaint(SyntheticCopyKind kind) => kind is SyntheticCopyKind.DiagonalOutpaint or SyntheticCopyKind.PatchOutpaint;

    private static string Recipe(object recipe) => JsonSerializer.Serialize(recipe, JsonFile.Indented);

    private static Image<Rgb24> Donor(string path, int width, int height)
    {
        var img = SourceImages.LoadFlattened(path);
        if (img.Width != width || img.Height != height) img.Mutate(x => x.Resize(width, height));
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
}
