using System.Text;
using Replication.Images;
using Replication.Core.Files;
using Replication.Core.Formats;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Replication.Analyses.Demo;

/// <summary>
/// Builds the offline demo: a training set from the clip art and photos in data/demo-sources (clip art is
/// flattened onto white), and a "generated" set mixing planted replicas of training images (exact copies,
/// crops, flips, colour jitter, JPEG re-encoding, objects cut by their alpha mask and pasted onto held-out
/// photos) with novel images that were held out of training. Deterministic for a seed.
/// </summary>
public static class DemoSetBuilder
{
    public static readonly string[] ReplicaKinds = ["copy", "crop", "flip", "jitter", "jpeg", "paste"];

    /// <param name="heldOutFraction">Share of each source kind kept out of training to serve as novel generations.</param>
    public static DemoSet Build(string sourcesFolder, string outputFolder, int replicasPerKind = 2, double heldOutFraction = 0.25, int seed = 7, int maxSources = int.MaxValue)
    {
        string clipDir = Path.Combine(sourcesFolder, "clipart"), photoDir = Path.Combine(sourcesFolder, "photos");
        if (!Directory.Exists(clipDir) || !Directory.Exists(photoDir))
            throw new InputMissingException($"{sourcesFolder}: expected clipart/ and photos/ inside (run data/make_demo_sources.py or use the committed data/demo-sources)", sourcesFolder);
        var rng = new Random(seed);
        var clips = Directory.GetFiles(clipDir, "*.png").Order(StringComparer.Ordinal).Take(maxSources).ToList();
        var photos = Directory.GetFiles(photoDir, "*.png").Order(StringComparer.Ordinal).Take(Math.Max(3, maxSources / 4)).ToList();
        SourceImages.Shuffle(clips, rng);
        SourceImages.Shuffle(photos, rng);
        int clipHeld = Math.Max(1, (int)(clips.Count * heldOutFraction)), photoHeld = Math.Max(2, (int)(photos.Count * heldOutFraction));
        var trainClips = clips.Skip(clipHeld).ToList();
        var trainPhotos = photos.Skip(photoHeld).ToList();
        var novel = clips.Take(clipHeld).Concat(photos.Take(photoHeld)).ToList();
        var backgrounds = photos.Take(photoHeld).ToList();

        string train = Path.Combine(outputFolder, "training"), gen = Path.Combine(outputFolder, "generated");
        foreach (var d in new[] { train, gen }) { if (Directory.Exists(d)) Directory.Delete(d, true); Directory.CreateDirectory(d); }

        var trainingNames = new List<string>();
        foreach (var src in trainClips.Concat(trainPhotos))
        {
            string name = "train-" + Path.GetFileName(src);
            using var img = SourceImages.LoadFlattened(src);
            img.SaveAsPng(Path.Combine(train, name));
            trainingNames.Add(name);
        }

        var truth = new List<PlantedImage>();
        int n = 0;
        foreach (var kind in ReplicaKinds)
        {
            for (int i = 0; i < replicasPerKind; i++)
            {
                // paste needs an object with alpha: pick among training clip art
                int pick = kind == "paste" ? rng.Next(trainClips.Count) : rng.Next(trainingNames.Count);
                string sourceName = kind == "paste" ? "train-" + Path.GetFileName(trainClips[pick]) : trainingNames[pick];
                string outName = $"gen-{n++:D3}-{kind}.{(kind == "jpeg" ? "jpg" : "png")}";
                string outPath = Path.Combine(gen, outName);
                if (kind == "paste")
                    Paste(trainClips[pick], backgrounds[rng.Next(backgrounds.Count)], rng, outPath);
                else
                    Transform(Path.Combine(train, sourceName), kind, rng, outPath);
                truth.Add(new PlantedImage(outName, true, kind, sourceName));
            }
        }
        foreach (var src in novel)
        {
            string outName = $"gen-{n++:D3}-novel.png";
            using var img = SourceImages.LoadFlattened(src);
            img.SaveAsPng(Path.Combine(gen, outName));
            truth.Add(new PlantedImage(outName, false, "novel", null));
        }
        var sb = new StringBuilder("generated,is_replica,kind,source_training\n");
        foreach (var t in truth) sb.Append(CsvTable.Line(t.Generated, t.IsReplica ? 1 : 0, t.Kind, t.SourceTraining)).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(outputFolder, "ground_truth.csv"), sb.ToString());
        return new DemoSet(train, gen, truth);
    }


    private static void Transform(string source, string kind, Random rng, string outPath)
    {
        using var img = Image.Load<Rgb24>(source);
        switch (kind)
        {
            case "copy":
                break;
            case "crop":
                double f = 0.65 + 0.2 * rng.NextDouble();
                int w = Math.Max(8, (int)(img.Width * f)), h = Math.Max(8, (int)(img.Height * f));
                var rect = new Rectangle(rng.Next(img.Width - w + 1), rng.Next(img.Height - h + 1), w, h);
                int ow = img.Width, oh = img.Height;
                img.Mutate(x => x.Crop(rect).Resize(ow, oh));
                break;
            case "flip":
                img.Mutate(x => x.Flip(FlipMode.Horizontal));
                break;
            case "jitter":
                float b = 0.8f + 0.4f * (float)rng.NextDouble(), c = 0.8f + 0.4f * (float)rng.NextDouble(), s = 0.6f + 0.8f * (float)rng.NextDouble();
                img.Mutate(x => x.Brightness(b).Contrast(c).Saturate(s).Hue(rng.Next(-20, 21)));
                break;
            case "jpeg":
                img.SaveAsJpeg(outPath, new JpegEncoder { Quality = 25 + rng.Next(20) });
                return;
        }
        img.SaveAsPng(outPath);
    }

    private static void Paste(string objectPath, string backgroundPath, Random rng, string outPath)
    {
        using var obj = Image.Load<Rgba32>(objectPath);
        using var bg = Image.Load<Rgb24>(backgroundPath);
        double scale = (0.6 + 0.3 * rng.NextDouble()) * Math.Min((double)bg.Width / obj.Width, (double)bg.Height / obj.Height);
        obj.Mutate(x => x.Resize(Math.Max(1, (int)(obj.Width * scale)), Math.Max(1, (int)(obj.Height * scale))));
        var at = new Point(rng.Next(Math.Max(1, bg.Width - obj.Width)), rng.Next(Math.Max(1, bg.Height - obj.Height)));
        bg.Mutate(x => x.DrawImage(obj, at, 1f));
        bg.SaveAsPng(outPath);
    }
}
