namespace Replication.Data.Datasets;

/// <summary>
/// The random draws behind one Cutmix copy: λ (shared by all copies of a source), the foreground draw u
/// (shared; the source is the foreground, pasted into the donor, when u &gt; 0.5), the box centre (row, column) drawn
/// uniformly over the image, and which donor image it mixes with.
/// </summary>
public sealed record CutmixDraw(double Lambda, double ForegroundDraw, int CentreRow, int CentreColumn, int Donor)
{
    public bool SourceIsForeground => ForegroundDraw > 0.5;
}
