namespace Replication.Figures;

/// <summary>Everything one figure shows, in order.</summary>
public sealed record FigureOutput(string Id, string Title, IReadOnlyList<FigureBlock> Blocks);
