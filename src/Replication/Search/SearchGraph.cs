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
