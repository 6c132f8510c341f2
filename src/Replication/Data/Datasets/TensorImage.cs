using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>
/// An RGB image as torchvision sees a tensor from <c>ToTensor</c>: float32 planes (channel, row, column) in [0, 1].
/// The synthetic copy transforms work on it so that they can follow torchvision's tensor arithmetic.
/// </summary>
public sealed record TensorImage(int Width, int Height, float[] Data)
{
    public int Plane => Width * Height;

    public float this[int c, int y, int x]
    {
        get => Data[c * Plane + y * Width + x];
        set => Data[c * Plane + y * Width + x] = value;
    }

    public static TensorImage Zeros(int width, int height) => new(width, height, new float[3 * width * height]);

    public TensorImage Copy() => this with { Data = (float[])Data.Clone() };

    public static TensorImage FromImage(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var t = Zeros(image.Width, image.Height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    t[0, y, x] = row[x].R / 255f;
                    t[1, y, x] = row[x].G / 255f;
                    t[2, y, x] = row[x].B / 255f;
                }
            }
        });
        return t;
    }

    /// <summary>Back to 8 bits as <c>ToPILImage</c> does after <c>mul(255)</c>, but rounded to nearest instead of truncated.</summary>
    public Image<Rgb24> ToImage()
    {
        var image = new Image<Rgb24>(Width, Height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    row[x] = new Rgb24(B(this[0, y, x]), B(this[1, y, x]), B(this[2, y, x]));
            }
        });
        return image;
    }

    private static byte B(float v) => (byte)Math.Clamp(MathF.Round(v * 255), 0, 255);
}
