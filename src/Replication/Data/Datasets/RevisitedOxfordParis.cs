using System.Collections;
using Replication.Images;
using Replication.Search.Retrieval;
using Replication.Core.Formats;

namespace Replication.Data.Datasets;

/// <summary>
/// Revisited Oxford 5k and Paris 6k in their published layout: <c>ROOT/roxford5k/gnd_roxford5k.pkl</c> and
/// <c>ROOT/roxford5k/jpg/*.jpg</c> (same for rparis6k). The pickle holds <c>imlist</c> (gallery names), <c>qimlist</c>
/// (query names) and <c>gnd</c> (per query: <c>bbx</c>, <c>easy</c>, <c>hard</c>, <c>junk</c>). Queries are cropped
/// to their box, as the protocol prescribes.
/// </summary>
public static class RevisitedOxfordParis
{
    public static readonly string[] Names = ["roxford5k", "rparis6k"];

    public static CopyDataset Load(string root, string name, RevisitopProtocol protocol = RevisitopProtocol.Medium)
    {
        if (!Names.Contains(name))
            throw new UsageException($"unknown revisited dataset '{name}' ({string.Join(", ", Names)})");
        string folder = File.Exists(Path.Combine(root, $"gnd_{name}.pkl")) ? root : Path.Combine(root, name);
        string pkl = Path.Combine(folder, $"gnd_{name}.pkl");
        if (!File.Exists(pkl))
            throw new InputMissingException($"{pkl}: ground truth not found (expected ROOT/{name}/gnd_{name}.pkl and ROOT/{name}/jpg/)", pkl);
        if (PythonPickle.Load(pkl) is not Hashtable cfg || cfg["imlist"] is null || cfg["qimlist"] is null || cfg["gnd"] is not IList gnd)
            throw new InputDataException($"{pkl}: expected a dict with 'imlist', 'qimlist' and 'gnd'");
        var imlist = PythonPickle.ToStringArray(cfg["imlist"], $"{pkl}: imlist");
        var qimlist = PythonPickle.ToStringArray(cfg["qimlist"], $"{pkl}: qimlist");
        if (gnd.Count != qimlist.Length)
            throw new InputDataException($"{pkl}: {qimlist.Length} queries but {gnd.Count} ground-truth entries");
        string jpg = Path.Combine(folder, "jpg");
        ImageRecord Record(string n, CropBox? crop = null) =>
            new(n, Path.Combine(jpg, n + ".jpg"), n + ".jpg", Crop: crop);
        var gallery = imlist.Select(n => Record(n)).ToList();
        var queries = new List<ImageRecord>();
        var truth = new List<QueryGroundTruth>();
        for (int q = 0; q < qimlist.Length; q++)
        {
            if (gnd[q] is not Hashtable g)
                throw new InputDataException($"{pkl}: gnd[{q}] is not a dict");
            string where = $"{pkl}: gnd[{q}]";
            var easy = PythonPickle.ToLongArray(g["easy"], where + "['easy']");
            var hard = PythonPickle.ToLongArray(g["hard"], where + "['hard']");
            var junk = PythonPickle.ToLongArray(g["junk"], where + "['junk']");
            var box = PythonPickle.ToDoubleArray(g["bbx"], where + "['bbx']");
            if (box.Length != 4) throw new InputDataException($"{where}['bbx'] has {box.Length} values, expected 4");
            queries.Add(Record(qimlist[q], CropBox.FromFloats(box[0], box[1], box[2], box[3])));
            var (ok, jk) = protocol switch
            {
                RevisitopProtocol.Easy => (easy, junk.Concat(hard).ToArray()),
                RevisitopProtocol.Hard => (hard, junk.Concat(easy).ToArray()),
                _ => (easy.Concat(hard).ToArray(), junk),
            };
            truth.Add(new QueryGroundTruth(q, ok, jk));
        }
        CopyDatasetFolder.Validate(pkl, truth, queries.Count, gallery.Count);
        var missing = gallery.Concat(queries).FirstOrDefault(r => !File.Exists(r.Path));
        if (missing != null)
            throw new InputMissingException($"{missing.Path}: image listed in {pkl} is missing", missing.Path);
        return new CopyDataset($"{name}-{protocol.ToString().ToLowerInvariant()}", queries, gallery, truth);
    }
}
