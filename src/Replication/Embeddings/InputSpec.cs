namespace Replication.Embeddings;

/// <summary>
/// The model's input and the preprocessing that produces it: resize the shorter side to <see cref="Resize"/>
/// (0 = no resize) with <see cref="Interpolation"/>, centre-crop <see cref="Size"/>², scale pixels to
/// [0, <see cref="Scale"/>], then subtract <see cref="Mean"/> and divide by <see cref="Std"/> per RGB channel.
/// </summary>
public sealed record InputSpec
{
    public required string Name { get; init; }
    public required int Size { get; init; }
    public int Resize { get; init; }
    public string Interpolation { get; init; } = "bilinear";
    public required float[] Mean { get; init; }
    public required float[] Std { get; init; }
    public float Scale { get; init; } = 1f;
}
