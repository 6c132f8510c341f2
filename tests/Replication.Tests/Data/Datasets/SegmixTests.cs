using System.Text.Json;
using Replication.Data.Datasets;

namespace Replication.Tests.Data.Datasets;

/// <summary>Segmix against fixtures/copies/segmix.json: the official segmix_hard logic with given draws (make_copy_fixtures.py).</summary>
public class SegmixTests
{
    private static TensorImage Tensor(JsonElement chw, int h, int w)
    {
        var t = TensorImage.Zeros(w, h);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    t[c, y, x] = chw[c][y][x].GetSingle();
        return t;
    }

    private static SegmixDraw Draw(JsonElement d) => new(
        d.GetProperty("class").GetInt32(), d.GetProperty("jitter").GetBoolean(),
        d.GetProperty("jitter_order").EnumerateArray().Select(v => v.GetInt32()).ToList(),
        d.GetProperty("brightness").GetDouble(), d.GetProperty("contrast").GetDouble(), d.GetProperty("saturation").GetDouble(), d.GetProperty("hue").GetDouble(),
        d.GetProperty("sigma").GetDouble(), d.GetProperty("grayscale").GetBoolean(), d.GetProperty("solarize").GetBoolean(), d.GetProperty("autocontrast").GetBoolean(),
        d.GetProperty("hflip_draw").GetDouble(), d.GetProperty("vflip_draw").GetDouble(), d.GetProperty("scale").GetDouble(), d.GetProperty("angle").GetDouble(),
        d.GetProperty("paste_x_draw").GetDouble(), d.GetProperty("paste_y_draw").GetDouble());

    [Fact]
    public void CopiesMatchTheOfficialLogicForTheSameDraws()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("copies", "segmix.json")));
        var root = doc.RootElement;
        int h = root.GetProperty("height").GetInt32(), w = root.GetProperty("width").GetInt32();
        var image = Tensor(root.GetProperty("image"), h, w);
        var background = Tensor(root.GetProperty("background"), h, w);
        var labels = new LabelMap(w, h, root.GetProperty("target").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetInt32())).ToArray());
        Assert.Equal([0, 1, 2], Segmix.EligibleClasses(labels));
        int n = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var d = Draw(c.GetProperty("draw"));
            string where = $"case {n}: {d}";
            // colour augmentations: torchvision's float arithmetic, to float32 rounding
            var augmented = Segmix.Augment(image, d);
            var expectedAugmented = Tensor(c.GetProperty("augmented"), h, w);
            Assert.True(MaxDifference(augmented, expectedAugmented) < 1e-4, $"{where}: augmentation differs by {MaxDifference(augmented, expectedAugmented)}");
            if (!d.IsBackground)
            {
                var (img, map) = Segmix.Transform(image, labels, d);
                var size = c.GetProperty("rotated_size");
                Assert.Equal((size[0].GetInt32(), size[1].GetInt32()), (map.Width, map.Height));
                var expectedLabels = c.GetProperty("rotated_labels").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetInt32())).ToArray();
                int differing = expectedLabels.Where((v, i) => v != map.Labels[i]).Count();
                Assert.True(differing == 0, $"{where}: {differing} of {map.Labels.Length} rotated labels differ");
                var place = Segmix.Place(img, map, w, h, d)!;
                var t = c.GetProperty("target").EnumerateArray().Select(v => v.GetInt32()).ToArray();
                Assert.Equal(t, new[] { place.Target.Top, place.Target.Left, place.Target.Bottom, place.Target.Right });
            }
            var result = Segmix.Render(image, labels, background, d)!;
            var expected = Tensor(c.GetProperty("result"), h, w);
            // every pixel within float32 rounding of the official result (bilinear resize, nearest rotation, paste)
            int off = Enumerable.Range(0, h * w).Count(p => Enumerable.Range(0, 3).Any(ch => Math.Abs(result.Data[ch * h * w + p] - expected.Data[ch * h * w + p]) > 1e-4));
            Assert.True(off == 0, $"{where}: {off} pixels differ from the official result");
            n++;
        }
        Assert.Equal(7, n);
    }

    [Fact]
    public void BackgroundClassIsCopiedInPlaceAndObjectsAreCutToTheirBoxWithoutTheLastRowAndColumn()
    {
        var labels = new LabelMap(6, 5, new int[30]);
        for (int y = 1; y <= 3; y++) for (int x = 2; x <= 4; x++) labels.Labels[y * 6 + x] = 7; // rows 1..3, cols 2..4
        var img = TensorImage.Zeros(6, 5);
        Array.Fill(img.Data, 0.5f);
        var d = new SegmixDraw(7, false, [0, 1, 2, 3], 1, 1, 1, 0, 0.1, false, false, false, 0, 0, 1.0, 0, 0, 0);
        var (t, map) = Segmix.Transform(img, labels, d);
        var place = Segmix.Place(t, map, 6, 5, d)!;
        Assert.Equal(2, place.Target.Bottom - place.Target.Top); // 3 object rows, the official slice y_min:y_max keeps 2
        Assert.Equal(2, place.Target.Right - place.Target.Left);
        Assert.True(d with { Class = -1 } is { IsBackground: true });
        Assert.False(d.HorizontalFlip);
        Assert.True((d with { HorizontalFlipDraw = 0.5, VerticalFlipDraw = 0.8 }) is { HorizontalFlip: true, VerticalFlip: true });
        Assert.False((d with { VerticalFlipDraw = 0.79 }).VerticalFlip);
        // classes at or below −100 and classes covering no more than the cutoff are never chosen
        var withVoid = new LabelMap(4, 1, [LabelMap.Ignored, 0, 3, 3]);
        Assert.Equal([0, 3], Segmix.EligibleClasses(withVoid));
        Assert.Equal([3], Segmix.EligibleClasses(withVoid, cutoff: 0.25));
    }

    [Fact]
    public void DrawsStayInTheOfficialRanges()
    {
        var rng = new Random(9);
        var draws = Enumerable.Range(0, 3000).Select(_ => Segmix.Draw(rng, [0, 1, 4])).ToList();
        Assert.Equal([0, 1, 4], draws.Select(d => d.Class).Distinct().Order());
        Assert.All(draws, d =>
        {
            Assert.InRange(d.Brightness, 0.6, 1.4); Assert.InRange(d.Contrast, 0.6, 1.4);
            Assert.InRange(d.Saturation, 0.8, 1.2); Assert.InRange(d.Hue, -0.1, 0.1);
            Assert.InRange(d.BlurSigma, 0.1, 4); Assert.InRange(d.Scale, 0.75, 1.0); Assert.InRange(d.Angle, -10, 10);
            Assert.Equal([0, 1, 2, 3], d.JitterOrder.Order());
        });
        double Rate(Func<SegmixDraw, bool> f) => draws.Count(f) / 3000.0;
        Assert.InRange(Rate(d => d.Jitter), 0.77, 0.83);
        Assert.InRange(Rate(d => d.Grayscale), 0.27, 0.33);
        Assert.InRange(Rate(d => d.Solarize), 0.47, 0.53);
        Assert.InRange(Rate(d => d.Autocontrast), 0.27, 0.33);
        Assert.InRange(Rate(d => d.HorizontalFlip), 0.47, 0.53);
        Assert.InRange(Rate(d => d.VerticalFlip), 0.17, 0.23);
    }

    private static double MaxDifference(TensorImage a, TensorImage b) => a.Data.Zip(b.Data, (x, y) => Math.Abs(x - y)).Max();
}
