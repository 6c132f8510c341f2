using Replication.Embeddings;
using Replication.Images;
using Xunit.Abstractions;

namespace Replication.Tests.Images;

/// <summary>Against torchvision 0.14 / Pillow 9.4 outputs written by fixtures/make_fixtures.py.</summary>
public class PreprocessingParityTests(ITestOutputHelper output)
{
    private static readonly Preprocessor Resize256Crop224 = new(new InputSpec { Name = "x", Size = 224, Resize = 256, Mean = [0, 0, 0], Std = [1, 1, 1] });

    [Theory]
    [InlineData("chelsea.png", 0, 0.0)]          // lossless RGB: bit-exact
    [InlineData("camera.png", 0, 0.0)]           // grayscale
    [InlineData("horse.png", 0, 0.0)]            // RGBA: alpha dropped as PIL's convert("RGB")
    [InlineData("chelsea-palette.png", 0, 0.0)]  // palette
    [InlineData("rocket.jpg", 0, 0.0)]           // JPEG: libjpeg-turbo as Pillow, bit-exact
    [InlineData("chelsea-rgb16.png", 1, 0.3)]    // 16-bit: PIL keeps the high byte, we scale
    [InlineData("chelsea-cmyk.jpg", 0, 0.0)]     // CMYK JPEG (Adobe polarity as PIL)
    public void ResizeAndCropMatchesTorchvision(string file, int maxAbs, double maxMean)
    {
        var reference = Fixtures.ReadNpyFloats(Fixtures.Path("preprocessing", file + ".resize256_crop224.npy"));
        // parity with torchvision: alpha dropped as PIL's convert("RGB") drops it
        var crop = Resize256Crop224.ResizeAndCrop(ImageDecoder.Decode(Fixtures.Path("preprocessing", file), alpha: AlphaHandling.Drop));
        Assert.Equal(224, crop.Width);
        Assert.Equal(224, crop.Height);
        int max = 0;
        double sum = 0;
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
            {
                int d = Math.Abs(crop.Pixels[i * 3 + c] - (int)reference[c * plane + i]);
                max = Math.Max(max, d);
                sum += d;
            }
        double mean = sum / (3 * plane);
        output.WriteLine($"{file}: max |diff| {max}/255, mean {mean:F4}/255");
        Assert.True(max <= maxAbs, $"{file}: max |diff| {max} > {maxAbs}");
        Assert.True(mean <= maxMean, $"{file}: mean |diff| {mean} > {maxMean}");
    }

    [Fact]
    public void BicubicNormalisedTensorMatchesTorchvision()
    {
        var reference = Fixtures.ReadNpyFloats(Fixtures.Path("preprocessing", "chelsea.png.bicubic72_crop64_imagenet.npy"));
        var p = new Preprocessor(new InputSpec
        {
            Name = "x", Size = 64, Resize = 72, Interpolation = "bicubic",
            Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f],
        });
        var tensor = new float[p.TensorLength];
        p.Apply(ImageDecoder.Decode(Fixtures.Path("preprocessing", "chelsea.png")), tensor);
        Assert.Equal(reference.Length, tensor.Length);
        for (int i = 0; i < tensor.Length; i++)
            Assert.True(Math.Abs(reference[i] - tensor[i]) < 1e-5, $"element {i}: {tensor[i]} vs {reference[i]}");
    }

    [Theory]
    [InlineData(451, 300, 256, 384, 256)] // int(256 * 451 / 300) = int(384.85)
    [InlineData(300, 451, 256, 256, 384)]
    [InlineData(256, 256, 256, 256, 256)]
    public void ResizedSizeFollowsTorchvision(int w, int h, int size, int ew, int eh)
    {
        // torchvision: long side = int(size * long / short)
        Assert.Equal((ew, eh), Preprocessor.ResizedSize(w, h, size));
    }

    [Fact]
    public void CenterCropPadsSmallImagesWithZeros()
    {
        var p = new Preprocessor(new InputSpec { Name = "x", Size = 4, Resize = 0, Mean = [0, 0, 0], Std = [1, 1, 1] });
        var img = new RgbImage(2, 2, Enumerable.Repeat((byte)200, 12).ToArray());
        var crop = p.ResizeAndCrop(img);
        // torchvision pads (4-2)/2 = 1 pixel each side
        Assert.Equal(0, crop.Pixels[0]);
        Assert.Equal(200, crop.Pixels[(1 * 4 + 1) * 3]);
        Assert.Equal(0, crop.Pixels[(3 * 4 + 3) * 3]);
    }
}
