using Replication.Core.Vectors;

namespace Replication.Search;

/// <summary>
/// Rows holding NaN or ±Inf (a broken model output, a corrupt file): they would score NaN against everything and, inside a
/// top-k selection, displace real matches of other queries. Searches find them, leave them out and name them.
/// </summary>
public static class NonFiniteRows
{
    public static bool IsFinite(ReadOnlySpan<float> row)
    {
        foreach (float v in row)
            if (!float.IsFinite(v))
                return false;
        return true;
    }

    /// <summary>The indices of the rows of <paramref name="source"/> with a NaN or infinite value, read in blocks.</summary>
    public static List<long> Find(IVectorSource source, int blockRows = 4096)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockRows);
        int dim = source.Dimension;
        int block = (int)Math.Max(1, Math.Min(blockRows, (1 << 24) / Math.Max(1, dim)));
        var buffer = new float[(long)block * dim];
        var found = new List<long>();
        for (long start = 0; start < source.Count; start += block)
        {
            int n = (int)Math.Min(block, source.Count - start);
            source.ReadRows(start, n, buffer);
            for (int r = 0; r < n; r++)
                if (!IsFinite(buffer.AsSpan(r * dim, dim)))
                    found.Add(start + r);
        }
        return found;
    }

    /// <summary>"3 rows of X hold NaN or infinite values (0-based rows 3, 6, 9)": at most 20 rows listed.</summary>
    public static string Describe(IReadOnlyList<long> rows, string source)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string list = string.Join(", ", rows.Take(20)) + (rows.Count > 20 ? $", … ({rows.Count - 20} more)" : "");
        return $"{rows.Count} row{(rows.Count == 1 ? "" : "s")} of {source} hold{(rows.Count == 1 ? "s" : "")} NaN or infinite values (0-based row{(rows.Count == 1 ? "" : "s")} {list})";
    }
}
