using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Imaging;

/// <summary>Helpers for building image sets from source files (the demo and the synthetic copy datasets).</summary>
public static class SourceImages
{
    /// <summary>Loads an image and composites it onto white, so that transparent clip art looks as it does on a page.</summary>
    public static Image<Rgb24> LoadFlattened(string path)
    {
        using var rgba = Image.Load<Rgba32>(path);
        var flat = new Image<Rgb24>(rgba.Width, rgba.Height, new Rgb24(255, 255, 255));
        flat.Mutate(x => x.DrawImage(rgba, 1f));
        return flat;
    }

    /// <summary>Fisher–Yates shuffle driven by <paramref name="rng"/> (deterministic for a seeded Random).</summary>
    public static void Shuffle<T>(IList<T> list, Random rng)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
