using System.Text;
using Replication.Images;
using Replication.Search.Retrieval;
using Replication.Core.Files;
using Replication.Core.Formats;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>One synthetic copy of a source: the image, the donor or background it was mixed with, and how it was made.</summary>
public sealed record SyntheticCopy(Image<Rgb24> Image, string? Donor, string Recipe);

/// <summary>
/// Writes a dataset folder in this project's layout, the official evaluation's way round: each source is a query
/// (<c>queries/</c>, flattened onto white) and its copies are its positives in <c>gallery/</c>, named so that their
/// sorted order is the row order; <c>copies.csv</c> says how each copy was made; the recipe marker comes last so that an
/// interrupted write never looks complete.
/// </summary>
internal sealed class CopyDatasetWriter
{
    private readonly string _folder;
    private readonly List<QueryGroundTruth> _truth = [];
    private readonly StringBuilder _log = new("gallery,query,donor,recipe\n");
    private int _rows;

    public CopyDatasetWriter(string folder)
    {
        _folder = folder;
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
        Directory.CreateDirectory(Path.Combine(folder, "gallery"));
        Directory.CreateDirectory(Path.Combine(folder, "queries"));
    }

    /// <summary>Saves the next query (the source) and its copies, which become its positive gallery rows.</summary>
    public void AddQuery(string source, IReadOnlyList<SyntheticCopy> copies)
    {
        int q = _truth.Count;
        string queryName = $"{q:D5}-{Path.GetFileNameWithoutExtension(source)}.png";
        using (var img = SourceImages.LoadFlattened(source))
            img.SaveAsPng(Path.Combine(_folder, "queries", queryName));
        var rows = new List<long>();
        for (int c = 0; c < copies.Count; c++)
        {
            string name = $"{q:D5}-{c:D3}.png";
            copies[c].Image.SaveAsPng(Path.Combine(_folder, "gallery", name));
            _log.Append(CsvTable.Line(name, queryName, copies[c].Donor is null ? "" : Path.GetFileName(copies[c].Donor), copies[c].Recipe)).Append('\n');
            rows.Add(_rows++);
        }
        _truth.Add(new QueryGroundTruth(q, rows.ToArray(), []));
    }

    public CopyDataset Finish(string marker, string recipe)
    {
        GroundTruthFile.Write(Path.Combine(_folder, "gt.json"), _truth);
        AtomicFile.WriteAllText(Path.Combine(_folder, "copies.csv"), _log.ToString());
        AtomicFile.WriteAllText(marker, recipe);
        return CopyDatasetFolder.Open(_folder);
    }
}
