using System.CommandLine;
using Replication.Search.Approximate;
using Replication.Embeddings;

namespace Replication.Cli.Commands;

public sealed class IndexBuildCommand : Command
{
    private readonly Option<string> _store = OptionKinds.Text("--store", "a complete embedding store (embed --shards)");
    private readonly Option<string> _gallery = OptionKinds.Text("--gallery", "or an embeddings .npy");
    private readonly Option<string> _out = OptionKinds.Text("--out", "index folder (default: STORE/hnsw, or GALLERY.npy.hnsw)");
    private readonly Option<string> _metric = CommonOptions.Metric();
    private readonly Option<int> _connectivity = OptionKinds.Int("--connectivity", "HNSW neighbours per node (M)", HnswSettings.DefaultConnectivity, min: 2);
    private readonly Option<int> _expansionAdd = OptionKinds.Int("--expansion-add", "candidates looked at per insertion (efConstruction)", HnswSettings.DefaultExpansionAdd);

    public IndexBuildCommand() : base("build", "build an HNSW index of a store's or an .npy's rows (index.usearch + index.json with the vectors' fingerprint)")
    {
        foreach (var o in new Option[] { _store, _gallery, _out, _metric, _connectivity, _expansionAdd })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        HnswIndex.CheckSimilarity(Similarity.Parse(p.GetValue(_metric)!, 1));
        var (source, path, owner, _) = VectorSources.OpenGallery(p.GetValue(_store), p.GetValue(_gallery));
        using (owner)
        {
            string folder = p.GetValue(_out) ?? HnswIndex.DefaultFolder(path);
            var settings = new HnswSettings(p.GetValue(_connectivity), p.GetValue(_expansionAdd));
            var info = ConsoleProgress.Run(progress => HnswIndex.Build(source, folder, settings, progress.Search!("index rows")));
            Console.WriteLine($"index of {info.Rows} × {info.Dimension} rows in {folder} ({info.IndexBytes / 1e6:F1} MB, built in {info.BuildSeconds:F1} s, M {info.Connectivity}, ef_add {info.ExpansionAdd})");
        }
        return ExitCodes.Success;
    }
}
