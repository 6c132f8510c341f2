using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>Fills the pixels of an image where <c>known[y * width + x]</c> is false.</summary>
public interface IOutpaintFill
{
    string Name { get; }
    void Fill(Image<Rgb24> image, bool[] known, Random rng);
}
