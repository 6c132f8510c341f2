using Replication.Onnx;

namespace Replication.Search;

/// <summary>
/// The ONNX graphs that score one tile of normalised queries against one block of normalised gallery rows
/// and keep each query's top k; ONNX Runtime runs them on the CPU (MLAS GEMM) or on CUDA.
/// Inputs: <c>queries</c> [nq, D], <c>gallery</c> [ng, D], <c>k</c> int64 [1]. Outputs: <c>scores</c>, <c>indices</c> [nq, k].
/// </summary>
public static class SearchGraph
{
    public static byte[] Build(int dimension, Similarity similarity)
    {
        similarity.Validate(dimension);
        var b = new OnnxGraphBuilder("exact_search")
            .Input("queries", OnnxGraphBuilder.ElemFloat, "nq", dimension)
            .Input("gallery", OnnxGraphBuilder.ElemFloat, "ng", dimension)
            .Input("k", OnnxGraphBuilder.ElemInt64, 1)
            .Output("scores", OnnxGraphBuilder.ElemFloat, "nq", "k_out")
            .Output("indices", OnnxGraphBuilder.ElemInt64, "nq", "k_out");
        if (similarity.Kind == SimilarityKind.InnerProduct)
        {
            b.Node("Gemm", ["queries", "gallery"], ["similarity"], NodeAttribute.Int("transB", 1));
        }
        else if (similarity.Kind == SimilarityKind.TiledL2)
        {
            int chunk = dimension / similarity.Chunks;
            // ‖q_t − g_t‖² = ‖q_t‖² + ‖g_t‖² − 2 q_t·g_t per tile t, as one batched MatMul over the tiles
            b.Int64Initializer("chunk_shape", [3], [0, similarity.Chunks, chunk])
             .FloatInitializer("minus_two", [], [-2f])
             .FloatInitializer("zero", [], [0f])
             .FloatInitializer("one", [], [1f])
             .FloatInitializer("inv_tile_size", [], [1f / chunk])
             .Node("Reshape", ["queries", "chunk_shape"], ["q3"])
             .Node("Transpose", ["q3"], ["q_chunks"], NodeAttribute.Ints("perm", 1, 0, 2))
             .Node("Reshape", ["gallery", "chunk_shape"], ["g3"])
             .Node("Transpose", ["g3"], ["g_chunks"], NodeAttribute.Ints("perm", 1, 2, 0))
             .Node("MatMul", ["q_chunks", "g_chunks"], ["dots"])
             .Node("ReduceSumSquare", ["q_chunks"], ["q_sq"], NodeAttribute.Ints("axes", 2), NodeAttribute.Int("keepdims", 1))
             .Node("ReduceSumSquare", ["g_chunks"], ["g_sq"], NodeAttribute.Ints("axes", 1), NodeAttribute.Int("keepdims", 1))
             .Node("Mul", ["dots", "minus_two"], ["minus_two_dots"])
             .Node("Add", ["minus_two_dots", "q_sq"], ["partial"])
             .Node("Add", ["partial", "g_sq"], ["tile_sq"])
             .Node("ReduceMax", ["tile_sq"], ["worst_sq"], NodeAttribute.Ints("axes", 0), NodeAttribute.Int("keepdims", 0))
             .Node("Max", ["worst_sq", "zero"], ["worst_sq_clamped"])
             .Node("Mul", ["worst_sq_clamped", "inv_tile_size"], ["worst_mse"])
             .Node("Sqrt", ["worst_mse"], ["worst_rms"])
             .Node("Sub", ["one", "worst_rms"], ["similarity"]);
        }
        else
        {
            int chunk = dimension / similarity.Chunks;
            b.Int64Initializer("chunk_shape", [3], [0, similarity.Chunks, chunk])
             .Node("Reshape", ["queries", "chunk_shape"], ["q3"])
             .Node("Transpose", ["q3"], ["q_chunks"], NodeAttribute.Ints("perm", 1, 0, 2))
             .Node("Reshape", ["gallery", "chunk_shape"], ["g3"])
             .Node("Transpose", ["g3"], ["g_chunks"], NodeAttribute.Ints("perm", 1, 2, 0))
             .Node("MatMul", ["q_chunks", "g_chunks"], ["chunk_scores"])
             .Node("ReduceMax", ["chunk_scores"], ["similarity"], NodeAttribute.Ints("axes", 0), NodeAttribute.Int("keepdims", 0));
        }
        b.Node("TopK", ["similarity", "k"], ["scores", "indices"],
            NodeAttribute.Int("axis", 1), NodeAttribute.Int("largest", 1), NodeAttribute.Int("sorted", 1));
        return b.ToModel();
    }
}
