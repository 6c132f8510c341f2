namespace Replication.Images;

/// <summary>What decoding does with transparency.</summary>
public enum AlphaMode
{
    /// <summary>Composited onto a background colour, as a person sees the image on a page (our default).</summary>
    Composite,

    /// <summary>Dropped, keeping the colour stored under transparent pixels: <c>PIL.Image.convert("RGB")</c>, what the official
    /// torchvision pipelines see (and often black for clip art).</summary>
    Drop,
}
