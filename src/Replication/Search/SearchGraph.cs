using Replication.Onnx;

namespace Replication.Search;

/// <summary>
/// The ONNX graphs that score one tile of prepared queries against one block of prepared gallery rows and keep each
/// query's top k; ONNX Runtime runs them on the CPU (MLAS GEMM) or on CUDA.
/// <list type="bullet">
/// <item>Inner product: <c>queries</c> [nq, D], <c>gallery</c> [ng, D] → Gemm (transB) → [nq, ng] → TopK on axis 1:
/// <c>scores</c>, <c>indices</c> [nq, k].</item>
/// <item>Chunked (split, split-cos, tiled ℓ2), C chunks of d = D/C: <c>queries</c> [C, d, nq] and <c>gallery</c> [C, ng, d]
/// arrive chunk-major (laid out by <see cref="OrtBlockScorer"/>, so the graph holds no Transpose of a large block) →
/// batched MatMul [C, ng, nq] → ReduceMax over chunks [ng, nq] → TopK on axis 0: <c>scores</c>, <c>indices</c> [k, nq].</item>
/// </list>
/// <c>k</c> is an int64 [1] input. Without top-k (<c>topK: false</c>) there is no <c>k</c> and <c>scores</c> is the whole
/// block, [nq, ng] for inner product and [ng, nq] for chunked metrics.
/// </summary>
public static class SearchGraph
{
    public static byte[] Build(int dimension, Similarity similarity, bool topK = true)
    {
        similarity.Validate(dimension);
        int chunks = similarity.Chunks, chunk = dimension / chunks;
        bool chunked = similarity.IsChunked;
        var b = new OnnxGraphBuilder("exact_search");
        if (chunked)
            b.Input("queries", OnnxGraphBuilder.ElemFloat, chunks, chunk, "nq")
             .Input("gallery", OnnxGraphBuilder.ElemFloat, chunks, "ng", chunk);
        else
            b.Input("queries", OnnxGraphBuilder.ElemFloat, "nq", dimension)
             .Input("gallery", OnnxGraphBuilder.ElemFloat, "ng", dimension);
        if (topK)
            b.Input("k", OnnxGraphBuilder.ElemInt64, 1)
             .Output("scores", OnnxGraphBuilder.ElemFloat, chunked ? "k_out" : "nq", chunked ? "nq" : "k_out")
             .Output("indices", OnnxGraphBuilder.ElemInt64, chunked ? "k_out" : "nq", chunked ? "nq" : "k_out");
        else
            b.Output("scores", OnnxGraphBuilder.ElemFloat, chunked ? "ng" : "nq", chunked ? "nq" : "ng");

        if (similarity.Kind == SimilarityKind.InnerProduct)
        {
            b.Node("Gemm", ["queries", "gallery"], ["similarity"], NodeAttribute.Int("transB", 1));
        }
        else if (similarity.Kind == SimilarityKind.TiledL2)
        {
            // ‖q_t − g_t‖² = ‖q_t‖² + ‖g_t‖² − 2 q_t·g_t per tile t, as one batched MatMul over the tiles
            b.FloatInitializer("minus_two", [], [-2f])
             .FloatInitializer("zero", [], [0f])
             .FloatInitializer("one", [], [1f])
             .FloatInitializer("inv_tile_size", [], [1f / chunk])
             .Node("MatMul", ["gallery", "queries"], ["dots"])
             .Node("ReduceSumSquare", ["queries"], ["q_sq"], NodeAttribute.Ints("axes", 1), NodeAttribute.Int("keepdims", 1))
             .Node("ReduceSumSquare", ["gallery"], ["g_sq"], NodeAttribute.Ints("axes", 2), NodeAttribute.Int("keepdims", 1))
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
            b.Node("MatMul", ["gallery", "queries"], ["chunk_scores"])
             .Node("ReduceMax", ["chunk_scores"], ["similarity"], NodeAttribute.Ints("axes", 0), NodeAttribute.Int("keepdims", 0));
        }
        if (topK)
            b.Node("TopK", ["similarity", "k"], ["scores", "indices"],
                NodeAttribute.Int("axis", chunked ? 0 : 1), NodeAttribute.Int("largest", 1), NodeAttribute.Int("sorted", 1));
        else
            b.Node("Identity", ["similarity"], ["scores"]);
        return b.ToModel();
    }
}
