namespace Replication.Data.Datasets;

/// <summary>The synthetic copy datasets of the paper's extractor benchmark, plus one variant of ours.</summary>
public enum SyntheticCopyKind
{
    /// <summary>The official <c>cutmix_alltypes</c>: a box of area ≈ 1 − λ (λ ~ Beta(1, 1)) at the same place in source and donor; the source is the pasted patch or the background, one coin per source (<see cref="Replication.Data.Datasets.Cutmix"/>).</summary>
    Cutmix,

    /// <summary>The official <c>segmix_hard</c>: one class of the source (object or background) augmented and pasted into a background image (<see cref="Replication.Data.Datasets.Segmix"/>).</summary>
    Segmix,

    /// <summary>A random triangular half of the source (above or below a diagonal) kept, the rest outpainted.</summary>
    DiagonalOutpaint,

    /// <summary>A random square patch of 20% of the source kept, the other 80% outpainted.</summary>
    PatchOutpaint,

    /// <summary>
    /// Ours (this project's first Cutmix, kept because it is what the paper's text describes): a random square patch of
    /// the source, side 30–70% of its shorter side, pasted at an independent random place in a donor image.
    /// </summary>
    SquarePaste,
}
