using Replication.Embeddings;
using Replication.Images;
using Replication.Embeddings.Store;
using Replication.Embeddings.WebDataset;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Analyses.CaseStudy;

/// <summary>
/// A small training store with planted duplicates and generations with known answers: 20 noise images ("img 00".."img 19"),
/// "img 00" present 4 times (3 copies) and "img 01" twice; generations: an exact copy of img 00 (prompt sourced from img 10),
/// a lightly noised copy of img 05 (sourced from img 05 itself), three fresh noise images (one with a key not in the store, one
/// with no source), and one file that cannot be decoded. Pixel features (normalised like ImageNet inputs): independent noise scores about 0, copies about 1.
/// </summary>
internal sealed record CaseStudyFixture(string Store, string Manifest, string Embeddings, IReadOnlyDictionary<string, string> KeyOf)
{
    public static CaseStudyFixture Create(int size = 48)
    {
        var random = new Random(11);
        byte[] Noise() { var b = new byte[size * size * 3]; random.NextBytes(b); return b; }
        void Save(byte[] pixels, string path) { using var img = Image.LoadPixelData<Rgb24>(pixels, size, size); img.SaveAsPng(path); }

        var train = Fixtures.TempFolder();
        var bases = Enumerable.Range(0, 20).Select(_ => Noise()).ToArray();
        for (int i = 0; i < 20; i++) Save(bases[i], Path.Combine(train, $"img_{i:D2}.png"));
        for (int c = 1; c <= 3; c++) Save(bases[0], Path.Combine(train, $"img_00_copy_{c}.png"));
        Save(bases[1], Path.Combine(train, "img_01_copy_1.png"));
        var shards = Path.Combine(Fixtures.TempFolder(), "shards");
        WebDatasetPacker.Pack(ImageCollection.FromFolder(train), shards, samplesPerShard: 6);
        var store = Path.Combine(Fixtures.TempFolder(), "store");
        using (var extractor = FeatureExtractor.Open("pixels"))
            StoreEmbedding.Run(ShardList.Resolve(shards), store, extractor, ShardSelection.All, batchSize: 8);
        var keyOf = new Dictionary<string, string>();
        using (var opened = EmbeddingStore.Open(store))
            for (long r = 0; r < opened.Count; r++)
            {
                var row = opened.Row(r);
                keyOf[row.Caption!] = row.Key;
            }

        var gen = Fixtures.TempFolder();
        Save(bases[0], Path.Combine(gen, "g0.png"));
        var noised = (byte[])bases[5].Clone();
        for (int i = 0; i < noised.Length; i += 7) noised[i] = (byte)Math.Clamp(noised[i] + random.Next(-20, 21), 0, 255);
        Save(noised, Path.Combine(gen, "g1.png"));
        for (int i = 2; i <= 4; i++) Save(Noise(), Path.Combine(gen, $"g{i}.png"));
        File.WriteAllBytes(Path.Combine(gen, "g5.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var manifest = Path.Combine(gen, "generations.csv");
        File.WriteAllLines(manifest,
        [
            "path,prompt,source_key,seed",
            $"g0.png,img 10,{keyOf["img 10"]},1",
            $"g1.png,img 05,{keyOf["img 05"]},2",
            $"g2.png,img 07,{keyOf["img 07"]},3",
            "g3.png,a prompt of our own,-,4",
            "g4.png,img 99,no-such-key,5",
            $"g5.png,img 08,{keyOf["img 08"]},6",
        ]);
        var embeddings = Path.Combine(Fixtures.TempFolder(), "gen-embeddings");
        using (var extractor = FeatureExtractor.Open("pixels"))
            EmbeddingJob.Run(ImageCollection.FromManifest(manifest), extractor, embeddings, batchSize: 8);
        return new CaseStudyFixture(store, manifest, embeddings, keyOf);
    }
}
