using Replication.Images;

namespace Replication.Embeddings;

/// <summary>Turns a decoded image into the model's input tensor, as torchvision's Resize, CenterCrop, ToTensor and Normalize do.</summary>
public sealed class Preprocessor(InputSpec spec)
{
    private readonly ResampleFilter _filter = ResampleFilter.FromName(spec.Interpolation);

    public InputSpec Spec { get; } = spec;

    public int TensorLength => 3 * Spec.Size * Spec.Size;

    /// <summary>Resizing a very elongated image to a short side of <c>resize</c> would allocate this many pixels or more.</summary>
    public const long MaxResizedPixels = 1L << 26;

    /// <summary>The resized and cropped 8-bit image (what ToTensor would see, times 255).</summary>
    public RgbImage ResizeAndCrop(RgbImage image)
    {
        if (Spec.Resize > 0)
        {
            var (w, h) = ResizedSize(image.Width, image.Height, Spec.Resize);
            if ((long)w * h > MaxResizedPixels)
                throw new ArgumentException($"a {image.Width}x{image.Height} image resized to {w}x{h} is too elongated to preprocess");
            image = PilResampler.Resize(image, w, h, _filter);
        }
        int size = Spec.Size;
        // torchvision: int(round((H - h) / 2.0)), Python rounds halves to even.
        int top = (int)Math.Round((image.Height - size) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((image.Width - size) / 2.0, MidpointRounding.ToEven);
        return image.Width == size && image.Height == size ? image : image.Crop(left, top, size, size);
    }

    /// <summary>Writes the normalised CHW float tensor of <paramref name="image"/> into <paramref name="destination"/>.</summary>
    public void Apply(RgbImage image, Span<float> destination)
    {
        var crop = ResizeAndCrop(image);
        int plane = Spec.Size * Spec.Size;
        var px = crop.Pixels;
        for (int c = 0; c < 3; c++)
        {
            float mul = Spec.Scale / 255f / Spec.Std[c];
            float add = -Spec.Mean[c] / Spec.Std[c];
            var dst = destination.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
                dst[i] = px[i * 3 + c] * mul + add;
        }
    }

    /// <summary>torchvision's Resize(int): the shorter side becomes <paramref name="size"/>, the longer int(size * long / short).</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, int size)
    {
        if (width <= height)
            return (size, (int)((long)size * height / width));
        return ((int)((long)size * width / height), size);
    }
}
