namespace Replication.Figures;

/// <summary>A figure parameter that makes no sense: one clear message, raised before any work starts.</summary>
public sealed class FigureParameterException(string message) : ArgumentException(message);
