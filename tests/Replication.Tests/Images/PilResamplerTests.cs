using Replication.Images;

namespace Replication.Tests.Images;

public class PilResamplerTests
{
    [Fact]
    public void UniformImageStaysUniform()
    {
        var img = new RgbImage(37, 23, Enumerable.Repeat((byte)173, 37 * 23 * 3).ToArray());
        var r = PilResampler.Resize(img, 11, 29, ResampleFilter.Bicubic);
        Assert.All(r.Pixels, p => Assert.Equal(173, p));
    }

    [Fact]
    public void HalvingWithBilinearAveragesPairsWithAntialiasedSupport()
    {
        // Downscale by 2: support widens to 2 input pixels each side; weights for output 0 at centre 1.0 are
        // tri(( 0 - 1 + 0.5)/2)=0.75 and tri((1 - 1 + 0.5)/2)=0.75, tri((2-1+0.5)/2)=0.25 → [0.75,0.75,0.25]/1.75.
        var row = new byte[] { 0, 0, 0, 70, 70, 70, 140, 140, 140, 210, 210, 210 };
        var r = PilResampler.Resize(new RgbImage(4, 1, row), 2, 1, ResampleFilter.Bilinear);
        double expected0 = (0 * 0.75 + 70 * 0.75 + 140 * 0.25) / 1.75;
        Assert.Equal((int)Math.Round(expected0), r.Pixels[0]);
    }
}
