namespace Replication.Data.Datasets;

/// <summary>A box of rows [Top, Bottom) and columns [Left, Right), possibly empty.</summary>
public sealed record CutBox(int Top, int Left, int Bottom, int Right)
{
    public int Area => Math.Max(0, Bottom - Top) * Math.Max(0, Right - Left);

    /// <summary>
    /// CutMix's <c>rand_bbox</c>: side fractions √(1 − λ) (each side truncated to whole pixels), centred on the drawn
    /// pixel, each edge at centre ∓ half the side (integer halves) and clipped to the image, so boxes at the border shrink.
    /// </summary>
    public static CutBox FromDraw(int height, int width, double lambda, int centreRow, int centreColumn)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (lambda is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(lambda), "λ must lie in [0, 1]");
        double ratio = Math.Sqrt(1 - lambda);
        int cutRows = (int)(height * ratio), cutColumns = (int)(width * ratio);
        return new CutBox(
            Math.Clamp(centreRow - cutRows / 2, 0, height), Math.Clamp(centreColumn - cutColumns / 2, 0, width),
            Math.Clamp(centreRow + cutRows / 2, 0, height), Math.Clamp(centreColumn + cutColumns / 2, 0, width));
    }
}
