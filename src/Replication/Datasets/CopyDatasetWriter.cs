using System.Text;
using Replication.Imaging;
using Replication.Retrieval;
using Replication.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Datasets;

/// <summary>
/// Writes a dataset folder in this project's layout: the gallery first (sources flattened onto white, named so that
/// their sorted order is the row order), then one query at a time, and the recipe marker last so that an interrupted
/// write never looks complete.
/// </summary>
internal sealed class CopyDatasetWriter
{
    private readonly string _folder;
    private readonly List<QueryGroundTruth> _truth = [];
    private readonly StringBuilder _log = new("query,source,background,recipe\n");

    public CopyDatasetWriter(string folder, IReadOnlyList<string> gallery)
    {
        _folder = folder;
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
        Directory.CreateDirectory(Path.Combine(folder, "gallery"));
        Directory.CreateDirectory(Path.Combine(folder, "queries"));
        var names = new List<string>();
        for (int i = 0; i < gallery.Count; i++)
        {
            string name = $"{i:D5}-{Path.GetFileNameWithoutExtension(gallery[i])}.png";
            using var img = SourceImages.LoadFlattened(gallery[i]);
            img.SaveAsPng(Path.Combine(folder, "gallery", name));
            names.Add(name);
        }
        GalleryNames = names;
    }

    public IReadOnlyList<string> GalleryNames { get; }

    /// <summary>Saves the next query, a copy of gallery row <paramref name="source"/>.</summary>
    public void AddQuery(Image<Rgb24> image, int source, string? background, string recipe)
    {
        int q = _truth.Count;
        string name = $"{q:D5}.png";
        image.SaveAsPng(Path.Combine(_folder, "queries", name));
        _log.Append(CsvTable.Line(name, GalleryNames[source], background is null ? "" : Path.GetFileName(background), recipe)).Append('\n');
        _truth.Add(new QueryGroundTruth(q, [source], []));
    }

    public CopyDataset Finish(string marker, string recipe)
    {
        GroundTruthFile.Write(Path.Combine(_folder, "gt.json"), _truth);
        AtomicFile.WriteAllText(Path.Combine(_folder, "queries.csv"), _log.ToString());
        AtomicFile.WriteAllText(marker, recipe);
        return CopyDatasetFolder.Open(_folder);
    }
}
