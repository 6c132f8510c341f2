namespace Replication.Images;

/// <summary>A pixel region: left and top inclusive, right and bottom exclusive (PIL's <c>Image.crop</c> box).</summary>
public sealed record CropBox(int Left, int Top, int Right, int Bottom)
{
    /// <summary>Rounds a floating-point box as revisitop does for its query boxes (PIL crop of the rounded box).</summary>
    public static CropBox FromFloats(double left, double top, double right, double bottom) =>
        new((int)Math.Round(left), (int)Math.Round(top), (int)Math.Round(right), (int)Math.Round(bottom));

    /// <summary>Cuts the box out of an image (clipped to it; pixels outside the image are black, as PIL's crop).</summary>
    public RgbImage Apply(RgbImage image, string path)
    {
        if (Right <= Left || Bottom <= Top)
            throw new ImageDecodeException(path, $"empty crop box ({Left},{Top},{Right},{Bottom})");
        return image.Crop(Left, Top, Right - Left, Bottom - Top);
    }

    public override string ToString() => $"{Left},{Top},{Right},{Bottom}";
}
