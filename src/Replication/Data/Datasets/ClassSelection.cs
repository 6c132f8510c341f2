using System.Globalization;
using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// The k largest classes of a labelled set (<see cref="ClassSubsets.Largest"/>): the chosen classes, largest first, and their
/// images in the order they were given.
/// </summary>
/// <param name="Classes">The chosen classes with their counts, count descending, ties by label (ordinal).</param>
/// <param name="Images">The images of the chosen classes, in the input order.</param>
/// <param name="TieAtCut">Whether the last chosen class has as many images as the first one left out, so that the choice
/// between them was made by label order rather than by size.</param>
public sealed record ClassSelection(IReadOnlyList<ClassCount> Classes, IReadOnlyList<ImageRecord> Images, bool TieAtCut)
{
    /// <summary>E.g. <c>051: 258, 077: 251 (2 classes, 509 images)</c>, with a note when the cut fell inside a tie.</summary>
    public string Summary => string.Join(", ", Classes.Select(c => $"{c.Label}: {c.Count.ToString(CultureInfo.InvariantCulture)}")) +
                             $" ({Classes.Count} classes, {Images.Count} images)" + (TieAtCut ? "; the last class was chosen over an equally large one by label order" : "");
}
