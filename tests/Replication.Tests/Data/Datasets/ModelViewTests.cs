using System.Diagnostics;
using Replication.Data.Datasets;
using Replication.Images;

namespace Replication.Tests.Data.Datasets;

/// <summary>The analysis's view of a training image equals what train_ddpm.py feeds the model (its load_image, centre crop).</summary>
public class ModelViewTests
{
    [SkippableFact]
    public void EqualsTheTrainingScriptsPixelsForTheCentreCrop()
    {
        var images = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(4)
            .Append(Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "photos")).Order(StringComparer.Ordinal).First()).ToArray();
        var dir = Fixtures.TempFolder();
        string script = $$"""
            import sys, numpy as np
            sys.path.insert(0, {{Py(Path.Combine(Fixtures.RepositoryRoot(), "models", "ddpm"))}})
            import train_ddpm as T
            for i, p in enumerate(sys.argv[1:]):
                t = T.load_image(p, 32, "composite")
                top, left = round((t.shape[1] - 32) / 2), round((t.shape[2] - 32) / 2)
                np.save({{Py(dir)}} + f"/{i}.npy", t[:, top:top + 32, left:left + 32].permute(1, 2, 0).contiguous().numpy())
            """;
        Requires.Python("python3-torch python3-numpy python3-pil libopenblas0-pthread", "torch", "numpy", "PIL");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var i in images) start.ArgumentList.Add(i);
        using var p = Process.Start(start)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        for (int i = 0; i < images.Length; i++)
        {
            var expected = Fixtures.ReadNpyFloats(Path.Combine(dir, $"{i}.npy"));
            var view = ModelView.Render(images[i], 32);
            Assert.Equal((32, 32), (view.Width, view.Height));
            Assert.Equal(expected, view.Pixels.Select(b => (float)b).ToArray());
        }
    }

    private static string Py(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    [Fact]
    public void ViewsOfNestedManifestsShareTheirFilesAndKeepIds()
    {
        var clipart = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources", "clipart"), "*.png").Order(StringComparer.Ordinal).Take(4).ToArray();
        var dir = Fixtures.TempFolder();
        File.WriteAllLines(Path.Combine(dir, "small.csv"), ["path,id", .. clipart.Take(2).Select((f, i) => $"{f},img{i}")]);
        File.WriteAllLines(Path.Combine(dir, "large.csv"), ["path,id", .. clipart.Select((f, i) => $"{f},img{i}")]);
        var small = ImageCollection.FromManifest(ModelView.Write(Path.Combine(dir, "small.csv"), 16, Path.Combine(dir, "view")));
        var large = ImageCollection.FromManifest(ModelView.Write(Path.Combine(dir, "large.csv"), 16, Path.Combine(dir, "view")));
        Assert.Equal(["img0", "img1"], small.Select(r => r.Id).Order());
        Assert.Subset(large.Select(r => r.Path).ToHashSet(), small.Select(r => r.Path).ToHashSet());
        Assert.Equal(4, Directory.GetFiles(Path.Combine(dir, "view"), "*.png").Length);
    }
}
