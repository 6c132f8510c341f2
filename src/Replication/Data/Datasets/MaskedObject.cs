namespace Replication.Data.Datasets;

/// <summary>One segmented object: the image it is in, and a loader for its mask (row-major, true = object).</summary>
public sealed record MaskedObject(string ImagePath, string Label, Func<ObjectMask> LoadMask);

/// <summary>A binary mask of an image's size.</summary>
public sealed record ObjectMask(int Width, int Height, bool[] Inside)
{
    public double Coverage => Inside.Count(b => b) / (double)Inside.Length;
}
