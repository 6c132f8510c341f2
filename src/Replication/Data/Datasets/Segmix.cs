namespace Replication.Data.Datasets;

/// <summary>
/// Segmix copies as the official <c>segmix_hard</c> (utils_ret.py) makes them. Per copy a class of the source's label
/// map is chosen (any class above −100 covering more than <c>cutoff</c> of the image, background included); the whole
/// source is colour-augmented, then image and labels are flipped together. An object class is resized, rotated with
/// expand, cut to its mask's bounding box (rows y_min..y_max − 1 and columns x_min..x_max − 1: the official slicing
/// drops the last row and column) and pasted at a random position of the background image, clipped at its border;
/// the background class (0 or −1) is copied in place. <see cref="Draw"/> makes the random draws, <see cref="Render"/> is a
/// pure function of source, labels, background and draw.
/// </summary>
public static class Segmix
{
    /// <summary>Classes that can be chosen: value above −100 and area fraction above <paramref name="cutoff"/>, ascending.</summary>
    public static IReadOnlyList<int> EligibleClasses(LabelMap labels, double cutoff = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Labels.GroupBy(v => v)
            .Where(g => g.Key > LabelMap.Ignored && g.Count() / (double)labels.Labels.Length > cutoff)
            .Select(g => g.Key).Order().ToList();
    }

    public static SegmixDraw Draw(Random rng, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (classes is null || classes.Count == 0) throw new ArgumentException("no class to choose from", nameof(classes));
        int cls = classes[rng.Next(classes.Count)];
        bool jitter = rng.NextDouble() < 0.8;
        var order = new List<int> { 0, 1, 2, 3 };
        Replication.Images.SourceImages.Shuffle(order, rng);
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        return new SegmixDraw(cls, jitter, order, U(0.6, 1.4), U(0.6, 1.4), U(0.8, 1.2), U(-0.1, 0.1),
            U(0.1, 4), rng.NextDouble() < 0.3, rng.NextDouble() < 0.5, rng.NextDouble() < 0.3,
            rng.NextDouble(), rng.NextDouble(), U(0.75, 1.0), U(-10, 10), rng.NextDouble(), rng.NextDouble());
    }

    /// <summary>The colour augmentations in the official order: jitter (p 0.8), blur, grayscale, solarize, autocontrast.</summary>
    public static TensorImage Augment(TensorImage source, SegmixDraw d)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(d);
        var img = source;
        if (d.Jitter)
            foreach (int op in d.JitterOrder)
                img = op switch
                {
                    0 => SegmixColour.Brightness(img, d.Brightness),
                    1 => SegmixColour.Contrast(img, d.Contrast),
                    2 => SegmixColour.Saturation(img, d.Saturation),
                    _ => SegmixColour.Hue(img, d.Hue),
                };
        img = SegmixColour.Blur(img, d.BlurSigma);
        if (d.Grayscale) img = SegmixColour.Grayscale(img);
        if (d.Solarize) img = SegmixColour.Solarize(img, 0.9);
        if (d.Autocontrast) img = SegmixColour.Autocontrast(img);
        return img;
    }

    /// <summary>Where an object class lands in the background: its box there, or null when its mask vanished (resized or cut away).</summary>
    public sealed record Placement(CutBox Target, TensorImage Patch, bool[] Mask);

    /// <summary>The copy, or null when the chosen object vanished after the transforms (the official code gives up on the batch then).</summary>
    public static TensorImage? Render(TensorImage source, LabelMap labels, TensorImage background, SegmixDraw d)
    {
        ArgumentNullException.ThrowIfNull(background);
        var (img, map) = Transform(source, labels, d);
        var result = background.Copy();
        if (d.IsBackground)
        {
            if (background.Width != img.Width || background.Height != img.Height)
                throw new ArgumentException($"background {background.Width}x{background.Height} and source {img.Width}x{img.Height} differ in size");
            for (int p = 0; p < map.Labels.Length; p++)
                if (map.Labels[p] == d.Class)
                    for (int c = 0; c < 3; c++) result.Data[c * img.Plane + p] = img.Data[c * img.Plane + p];
            return result;
        }
        var place = Place(img, map, background.Width, background.Height, d);
        if (place is null) return null;
        var t = place.Target;
        int w = t.Right - t.Left;
        for (int y = 0; y < t.Bottom - t.Top; y++)
            for (int x = 0; x < w; x++)
                if (place.Mask[y * w + x])
                    for (int c = 0; c < 3; c++) result[c, t.Top + y, t.Left + x] = place.Patch[c, y, x];
        return result;
    }

    /// <summary>Augmentation, flips and (object classes) resize and rotation, applied to image and labels alike.</summary>
    public static (TensorImage Image, LabelMap Labels) Transform(TensorImage source, LabelMap labels, SegmixDraw d)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (source.Width != labels.Width || source.Height != labels.Height)
            throw new ArgumentException($"source {source.Width}x{source.Height} and its labels {labels.Width}x{labels.Height} differ in size");
        var img = Augment(source, d);
        var map = labels;
        if (d.HorizontalFlip) { img = SegmixGeometry.FlipHorizontal(img); map = SegmixGeometry.FlipHorizontal(map); }
        if (d.VerticalFlip) { img = SegmixGeometry.FlipVertical(img); map = SegmixGeometry.FlipVertical(map); }
        if (d.IsBackground) return (img, map);
        int h = (int)(img.Height * d.Scale), w = (int)(img.Width * d.Scale);
        img = SegmixGeometry.Rotate(SegmixGeometry.ResizeBilinear(img, h, w), d.Angle);
        map = SegmixGeometry.Rotate(SegmixGeometry.ResizeNearest(map, h, w), d.Angle);
        return (img, map);
    }

    /// <summary>The mask's bounding box (max row and column excluded), moved to the drawn position and clipped to the background.</summary>
    public static Placement? Place(TensorImage img, LabelMap map, int backgroundWidth, int backgroundHeight, SegmixDraw d)
    {
        int yMin = int.MaxValue, yMax = -1, xMin = int.MaxValue, xMax = -1;
        for (int y = 0; y < map.Height; y++)
            for (int x = 0; x < map.Width; x++)
                if (map[y, x] == d.Class) { yMin = Math.Min(yMin, y); yMax = Math.Max(yMax, y); xMin = Math.Min(xMin, x); xMax = Math.Max(xMax, x); }
        if (yMax < 0) return null;
        int boxW = xMax - xMin, boxH = yMax - yMin;
        int x1 = (int)(d.PasteXDraw * Math.Max(1, backgroundWidth - boxW)), y1 = (int)(d.PasteYDraw * Math.Max(1, backgroundHeight - boxH));
        int x2 = Math.Min(backgroundWidth, x1 + boxW), y2 = Math.Min(backgroundHeight, y1 + boxH);
        int w = Math.Max(0, x2 - x1), h = Math.Max(0, y2 - y1);
        var patch = TensorImage.Zeros(w, h);
        var mask = new bool[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                mask[y * w + x] = map[yMin + y, xMin + x] == d.Class;
                for (int c = 0; c < 3; c++) patch[c, y, x] = img[c, yMin + y, xMin + x];
            }
        return new Placement(new CutBox(y1, x1, y2, x2), patch, mask);
    }
}
