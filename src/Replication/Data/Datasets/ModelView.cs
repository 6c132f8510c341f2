using System.Security.Cryptography;
using System.Text;
using Replication.Images;
using Replication.Core.Files;
using Replication.Core.Formats;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>
/// Training images as a model trained at <c>size</c>×<c>size</c> saw them: composited onto white, the shorter side resized to
/// <c>size</c> (PIL's antialiased bilinear, as torchvision's Resize on a PIL image), centre-cropped (training took random
/// crops; the centre is the canonical one). Comparing small generations with these rather than with the full-size originals
/// keeps an extractor from scoring resolution instead of content: a named variant of the analysis (the paper compared with the
/// dataset's images). Each view is a PNG named by a hash of its source path, shared between the manifests of nested subsets,
/// and listed in a manifest with the source's id and label. Transparency is composited onto white, as train_ddpm.py does by
/// default (a model trained with --alpha drop would need views without compositing; not offered).
/// </summary>
public static class ModelView
{
    /// <summary>Writes the views of <paramref name="manifest"/>'s images into <paramref name="folder"/> and returns the new manifest.</summary>
    public static string Write(string manifest, int size, string folder)
    {
        if (size < 1) throw new UsageException($"view size must be ≥ 1, not {size}");
        var images = ImageCollection.Open(manifest);
        Directory.CreateDirectory(folder);
        var lines = new List<string> { "path,id,label" };
        foreach (var image in images)
        {
            if (image.Refused is not null) continue;
            // named by the source's path, size and modification time: a changed file gets a new view
            var info = new FileInfo(image.Path);
            string key = $"{Path.GetFullPath(image.Path)}\n{(info.Exists ? info.Length : -1)}\n{(info.Exists ? info.LastWriteTimeUtc.Ticks : 0)}";
            string name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24] + $"-{size}.png";
            string path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                RgbImage view;
                try { view = Render(image.Path, size); }
                catch (Exception e) when (ImageFault.IsPerFile(e)) { continue; } // left out here; the scan of the original names it
                using var png = Image.LoadPixelData<Rgb24>(view.Pixels, view.Width, view.Height);
                AtomicFile.Write(path, s => png.SaveAsPng(s));
            }
            lines.Add(CsvTable.Line(name, image.Id, image.Label));
        }
        string result = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(manifest)}-view{size}.csv");
        AtomicFile.WriteAllText(result, string.Join('\n', lines) + "\n");
        return result;
    }

    /// <summary>One view: <see cref="Replication.Embeddings.Preprocessor.ResizeAndCrop"/> with Resize = CenterCrop = <paramref name="size"/> (bilinear), so
    /// sizes and crop offsets follow torchvision exactly.</summary>
    public static RgbImage Render(string path, int size) =>
        new Replication.Embeddings.Preprocessor(new Replication.Embeddings.InputSpec { Name = "model-view", Size = size, Resize = size, Interpolation = "bilinear", Mean = [0, 0, 0], Std = [1, 1, 1] })
            .ResizeAndCrop(ImageDecoder.Decode(path, alpha: AlphaHandling.White));
}
