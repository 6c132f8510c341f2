using System.Numerics.Tensors;

namespace Replication.Core.Vectors;

public static class VectorMath
{
    /// <summary>Scales each row of a row-major matrix to unit L2 norm (rows of zeros stay zero).</summary>
    public static void NormalizeRows(Span<float> data, int dimension)
    {
        for (int offset = 0; offset + dimension <= data.Length; offset += dimension)
        {
            var row = data.Slice(offset, dimension);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0)
                TensorPrimitives.Multiply(row, 1f / norm, row);
        }
    }
}
