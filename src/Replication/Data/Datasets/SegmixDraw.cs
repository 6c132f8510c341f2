namespace Replication.Data.Datasets;

/// <summary>
/// The random draws behind one Segmix copy, named after the official <c>segmix_hard</c> (utils_ret.py) transforms:
/// the class pasted; ColorJitter(0.4, 0.4, 0.2, 0.1) applied or not (p 0.8) with its order (0 brightness, 1 contrast,
/// 2 saturation, 3 hue) and factors; the Gaussian blur σ (always applied, 5×5); grayscale (p 0.3), solarize (p 0.5,
/// threshold 0.9), autocontrast (p 0.3); the flip draws (horizontal when ≥ 0.5, vertical when ≥ 0.8); for an object class
/// the scale in [0.75, 1], the angle in [−10°, 10°] and the paste position as uniforms in [0, 1) scaled to the room left.
/// </summary>
public sealed record SegmixDraw(
    int Class,
    bool Jitter, IReadOnlyList<int> JitterOrder, double Brightness, double Contrast, double Saturation, double Hue,
    double BlurSigma, bool Grayscale, bool Solarize, bool Autocontrast,
    double HorizontalFlipDraw, double VerticalFlipDraw,
    double Scale, double Angle, double PasteXDraw, double PasteYDraw)
{
    public bool HorizontalFlip => HorizontalFlipDraw >= 0.5;
    public bool VerticalFlip => VerticalFlipDraw >= 0.8;

    /// <summary>The official code treats classes 0 and −1 as background: copied in place, neither resized nor moved.</summary>
    public bool IsBackground => Class is 0 or -1;

    public override string ToString() =>
        $"class {Class}; jitter {(Jitter ? $"[{string.Join("", JitterOrder)}] b{Brightness:0.000} c{Contrast:0.000} s{Saturation:0.000} h{Hue:0.000}" : "off")}; " +
        $"blur σ{BlurSigma:0.000}; gray {Grayscale}; solarize {Solarize}; autocontrast {Autocontrast}; hflip {HorizontalFlip}; vflip {VerticalFlip}" +
        (IsBackground ? "; in place" : $"; scale {Scale:0.000}; angle {Angle:0.00}; paste ({PasteXDraw:0.000}, {PasteYDraw:0.000})");
}
