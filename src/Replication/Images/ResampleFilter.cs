namespace Replication.Images;

/// <summary>The interpolation kernels of PIL's resampling (which torchvision uses for PIL images).</summary>
public sealed record ResampleFilter(string Name, double Support, Func<double, double> Weight)
{
    public static ResampleFilter Bilinear { get; } = new("bilinear", 1.0, x =>
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    });

    /// <summary>Keys' cubic convolution with a = -0.5, as PIL's BICUBIC.</summary>
    public static ResampleFilter Bicubic { get; } = new("bicubic", 2.0, x =>
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    });

    public static ResampleFilter FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "bilinear" or "linear" => Bilinear,
        "bicubic" or "cubic" => Bicubic,
        _ => throw new InputDataException($"interpolation '{name}' is not supported (use bilinear or bicubic)"),
    };
}
