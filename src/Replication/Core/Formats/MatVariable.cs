namespace Replication.Core.Formats;

/// <summary>
/// One top-level variable of a MAT-file. A real numeric array has <see cref="Values"/> (converted to double, in MATLAB's
/// column-major order); any other kind (cell, struct, char, sparse, complex, object…) has <see cref="Values"/> null and
/// <see cref="Unsupported"/> saying what it is, so that it is refused only when it is asked for.
/// </summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Class">MATLAB's class name (<c>double</c>, <c>uint8</c>, <c>logical</c>, <c>cell</c>, …).</param>
/// <param name="Dimensions">The array's size, at least two dimensions (empty for an opaque object).</param>
/// <param name="Values">The elements, column-major, or null when <see cref="Unsupported"/> is set.</param>
/// <param name="Unsupported">What the variable is, when it is not a real numeric array.</param>
public sealed record MatVariable(string Name, string Class, IReadOnlyList<int> Dimensions, double[]? Values, string? Unsupported)
{
    /// <summary>The size as MATLAB writes it, e.g. <c>1×8189</c>.</summary>
    public string Size => Dimensions.Count == 0 ? "?" : string.Join("×", Dimensions);
}
