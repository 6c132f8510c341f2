using System.Globalization;

namespace Replication.Images;

/// <summary>How decoding treats transparency: dropped (torchvision's behaviour) or composited onto an opaque background
/// with <see cref="AlphaCompositor"/> (Pillow's <c>Image.alpha_composite</c> arithmetic).</summary>
public sealed record AlphaHandling(AlphaMode Mode, byte R, byte G, byte B)
{
    /// <summary>Composited onto white: the default.</summary>
    public static AlphaHandling White { get; } = new(AlphaMode.Composite, 255, 255, 255);

    /// <summary>Dropped, as <c>PIL.Image.convert("RGB")</c>.</summary>
    public static AlphaHandling Drop { get; } = new(AlphaMode.Drop, 0, 0, 0);

    /// <summary>Parses <c>--alpha composite|drop</c> and <c>--background white|black|#rrggbb</c>.</summary>
    public static AlphaHandling Parse(string mode, string background)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(background);
        switch (mode.Trim().ToLowerInvariant())
        {
            case "drop": return Drop;
            case "composite": break;
            default: throw new ParameterException("Alpha", mode, "neither composite nor drop");
        }
        string b = background.Trim().ToLowerInvariant();
        if (b == "white") return White;
        if (b == "black") return new(AlphaMode.Composite, 0, 0, 0);
        if (b.Length == 7 && b[0] == '#' && int.TryParse(b.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int rgb))
            return new(AlphaMode.Composite, (byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        throw new ParameterException("Background", background, "not white, black or #rrggbb");
    }

    /// <summary>"composite on #ffffff" or "drop": recorded with embeddings and in reports.</summary>
    public override string ToString() => Mode == AlphaMode.Drop ? "drop" : $"composite on #{R:x2}{G:x2}{B:x2}";
}
