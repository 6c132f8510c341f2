namespace Replication.Datasets;

/// <summary>The synthetic copy datasets of the paper's extractor benchmark.</summary>
public enum SyntheticCopyKind
{
    /// <summary>A random square patch of a source image pasted at a random place in another image.</summary>
    Cutmix,

    /// <summary>An object cut out by its segmentation mask, augmented, resized, rotated and moved, pasted into another image.</summary>
    Segmix,

    /// <summary>A random triangular half of the source (above or below a diagonal) kept, the rest filled.</summary>
    DiagonalOutpaint,

    /// <summary>A random square patch of about 20% of the source kept, the rest filled.</summary>
    PatchOutpaint,
}
