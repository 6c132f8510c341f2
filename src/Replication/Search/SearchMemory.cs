using Replication.Embeddings;

namespace Replication.Search;

/// <summary>
/// How exact search sizes its query tiles and gallery blocks from a memory budget in bytes, so that peak memory is set by
/// the budget and the row length, not by the number of rows. Per (tile of tq queries, block of tg gallery rows) with
/// D floats a row and C chunks the search holds about 2·(tq + tg)·D floats of rows (read and laid out) and
/// (m·C + 1)·tq·tg floats of scores (m = 4 for tiled ℓ2, which keeps several score tensors alive, 1 otherwise).
/// </summary>
public static class SearchMemory
{
    /// <summary>4 GiB: leaves most of a 24 GB machine to the rest of a run.</summary>
    public const long DefaultBudgetBytes = 4L << 30;

    /// <summary>The least budget accepted: enough for one row of a DINO-sized token output and its scores.</summary>
    public const long MinimumBudgetBytes = 64L << 20;

    public static (int QueryTile, int GalleryBlock) TileSizes(long queries, long gallery, int dimension, Similarity similarity, long budgetBytes)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        if (budgetBytes < MinimumBudgetBytes)
            throw new ParameterException("SearchMemory", budgetBytes, $"bytes is below the minimum {MinimumBudgetBytes}");
        long floats = budgetBytes / sizeof(float);
        // a quarter of the budget for gallery rows (and their layout copy), a quarter for query rows, half for scores
        long rowCap = Math.Max(1, floats / 4 / (2L * dimension));
        long perPair = ScoreFloatsPerPair(similarity);
        long block = Math.Min(Math.Min(gallery, rowCap), similarity.IsChunked ? 4096 : 16384);
        long tile = Math.Min(Math.Min(queries, rowCap), 4096);
        long scoreCap = floats / 2 / perPair;
        if (tile * block > scoreCap) tile = Math.Max(1, scoreCap / block);
        if (tile * block > scoreCap) block = Math.Max(1, scoreCap / tile);
        return ((int)Math.Max(1, tile), (int)Math.Max(1, block));
    }

    /// <summary>Bytes the search holds for a tile and block of these sizes (the estimate the sizes are chosen by).</summary>
    public static long EstimateBytes(int queryTile, int galleryBlock, int dimension, Similarity similarity)
    {
        long perPair = ScoreFloatsPerPair(similarity);
        return 4 * (2L * (queryTile + galleryBlock) * dimension + perPair * queryTile * galleryBlock);
    }

    /// <summary>Score floats held per (query, gallery row) pair: m·C chunk scores plus the reduced score.</summary>
    private static long ScoreFloatsPerPair(Similarity similarity) =>
        (long)similarity.Chunks * (similarity.Kind == SimilarityKind.TiledL2 ? 4 : 1) + 1;
}
