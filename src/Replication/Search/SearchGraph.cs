using Replication.Core.Onnx;
using Replication.Embeddings;

namespace Replication.Search;

/// <summary>
/// The ONNX graphs that score one tile of prepared queries against one block of prepared gallery rows and keep each
/// query's top k; ONNX Runtime runs them on the CPU (MLAS GEMM) or on CUDA. Every graph outputs <c>scores</c>,
/// <c>indices</c> [nq, k] (TopK on the last axis), or without top-k (<c>topK: false</c>, no <c>k</c> input) the whole
/// [nq, ng] block as <c>scores</c>.
/// <list type="bullet">
/// <item>Inner product: <c>queries</c> [nq, D], <c>gallery</c> [ng, D] → Gemm (transB).</item>
/// <item>Chunked metrics (split, split-cos, tiled ℓ2; C chunks of d = D/C): <c>queries</c> [C, nq, d] and <c>gallery</c>
/// [C, ng, d], regrouped chunk-major by <see cref="OrtBlockScorer"/> (contiguous copies of d floats) → batched MatMul with the
/// gallery's last two axes transposed (ONNX Runtime fuses that Transpose into the MatMul, so no transposed copy of a large
/// block is made) → [C, nq, ng] → max over C.</item>
/// </list>
/// </summary>
public static class SearchGraph
{
    public static byte[] Build(int dimension, Similarity similarity, bool topK = true)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        similarity.Validate(dimension);
        int chunks = similarity.Chunks, chunk = dimension / chunks;
        var b = new OnnxGraphBuilder("exact_search");
        if (!similarity.IsChunked)
            b.Input("queries", OnnxGraphBuilder.ElemFloat, "nq", dimension)
             .Input("gallery", OnnxGraphBuilder.ElemFloat, "ng", dimension);
        else
            b.Input("queries", OnnxGraphBuilder.ElemFloat, chunks, "nq", chunk)
             .Input("gallery", OnnxGraphBuilder.ElemFloat, chunks, "ng", chunk);
        if (topK)
            b.Input("k", OnnxGraphBuilder.ElemInt64, 1)
             .Output("scores", OnnxGraphBuilder.ElemFloat, "nq", "k_out")
             .Output("indices", OnnxGraphBuilder.ElemInt64, "nq", "k_out");
        else
            b.Output("scores", OnnxGraphBuilder.ElemFloat, "nq", "ng");

        // chunk-wise products [C, nq, ng]: the Transpose of the gallery's last two axes is fused by ONNX Runtime into the
        // MatMul (FusedMatMul with transB), so no transposed copy is made
        string[] product = ["queries", "gallery_t"];
        string reduced = "similarity";
        if (similarity.IsChunked)
            b.Node("Transpose", ["gallery"], ["gallery_t"], NodeAttribute.Ints("perm", 0, 2, 1));
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
             .Node("MatMul", product, ["dots"])
             .Node("ReduceSumSquare", ["queries"], ["q_sq"], NodeAttribute.Ints("axes", 2), NodeAttribute.Int("keepdims", 1))
             .Node("ReduceSumSquare", ["gallery_t"], ["g_sq"], NodeAttribute.Ints("axes", 1), NodeAttribute.Int("keepdims", 1))
             .Node("Mul", ["dots", "minus_two"], ["minus_two_dots"])
             .Node("Add", ["minus_two_dots", "q_sq"], ["partial"])
             .Node("Add", ["partial", "g_sq"], ["tile_sq"])
             .Node("ReduceMax", ["tile_sq"], ["worst_sq"], NodeAttribute.Ints("axes", 0), NodeAttribute.Int("keepdims", 0))
             .Node("Max", ["worst_sq", "zero"], ["worst_sq_clamped"])
             .Node("Mul", ["worst_sq_clamped", "inv_tile_size"], ["worst_mse"])
             .Node("Sqrt", ["worst_mse"], ["worst_rms"])
             .Node("Sub", ["one", "worst_rms"], [reduced]);
        }
        else
        {
            b.Node("MatMul", product, ["chunk_scores"])
             .Node("ReduceMax", ["chunk_scores"], [reduced], NodeAttribute.Ints("axes", 0), NodeAttribute.Int("keepdims", 0));
        }
        if (topK)
            b.Node("TopK", ["similarity", "k"], ["scores", "indices"],
                NodeAttribute.Int("axis", 1), NodeAttribute.Int("largest", 1), NodeAttribute.Int("sorted", 1));
        else
            b.Node("Identity", ["similarity"], ["scores"]);
        return b.ToModel();
    }
}
