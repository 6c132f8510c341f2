using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Images;

/// <summary>Helpers for building image sets from source files (the demo and the synthetic copy datasets).</summary>
public static class SourceImages
{
    /// <summary>Loads an image composited onto white, so that transparent clip art looks as it does on a page: the one
    /// compositing implementation, <see cref="ImageDecoder.Decode"/> with <see cref="AlphaHandling.White"/> (Pillow's alpha_composite).</summary>
    public static Image<Rgb24> LoadFlattened(string path)
    {
        var rgb = ImageDecoder.Decode(path, alpha: AlphaHandling.White);
        return Image.LoadPixelData<Rgb24>(rgb.Pixels, rgb.Width, rgb.Height);
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
