using Parquet;
using Parquet.Schema;

namespace Replication.Embeddings.WebDataset;

/// <summary>
/// The <c>.parquet</c> that img2dataset writes beside each shard (<c>00000.tar</c> → <c>00000.parquet</c>): one row per sample it
/// tried, with <c>key</c>, <c>url</c>, <c>caption</c>, <c>status</c>, <c>width</c>, <c>height</c> and more. Read through Parquet.Net;
/// only <c>key</c> is required, the other columns are read when present with a type that fits (text, or whole numbers for sizes).
/// </summary>
public static class ShardMetadata
{
    /// <summary>The parquet beside a tar shard (same name, <c>.parquet</c>).</summary>
    public static string PathFor(string tarPath) => Path.ChangeExtension(tarPath, ".parquet");

    /// <summary>
    /// Reads the rows of a shard's parquet by key. A file that is not parquet, is damaged, or lacks a text <c>key</c> column is an
    /// <see cref="InputDataException"/> naming the file and what is wrong (callers log it and go on with the tar's own metadata).
    /// </summary>
    public static IReadOnlyDictionary<string, ShardMetadataRow> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return ReadAsync(path).GetAwaiter().GetResult();
        }
        catch (InputDataException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException
                                      or FormatException or IndexOutOfRangeException or OverflowException || IsParquetLibrary(e))
        {
            throw new InputDataException($"{path}: not a readable parquet file ({e.GetType().Name}: {e.Message.Split('\n')[0]})", e);
        }
    }

    private static bool IsParquetLibrary(Exception e) => e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true
                                                         || e.TargetSite?.DeclaringType?.Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true;

    private static async Task<IReadOnlyDictionary<string, ShardMetadataRow>> ReadAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        DataField? Field(string name) => fields.FirstOrDefault(f => f.Name == name && f.MaxRepetitionLevel == 0);
        var key = Field("key");
        if (key is null || !IsText(key))
            throw new InputDataException($"{path}: schema mismatch: no text column 'key' (columns: {string.Join(", ", fields.Select(f => $"{f.Name} {f.ClrType.Name}"))})");
        var rows = new Dictionary<string, ShardMetadataRow>(StringComparer.Ordinal);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            var keys = await Text(group, key, n);
            var urls = await Text(group, Field("url"), n);
            var captions = await Text(group, Field("caption"), n);
            var statuses = await Text(group, Field("status"), n);
            var widths = await Whole(group, Field("width"), n);
            var heights = await Whole(group, Field("height"), n);
            for (int i = 0; i < n; i++)
            {
                if (keys[i] is not { } k) continue;
                rows[k] = new ShardMetadataRow(k, urls[i], captions[i], widths[i], heights[i], statuses[i]);
            }
        }
        return rows;
    }

    /// <summary>A text column (Parquet.Net 6 reports byte-array strings as <c>ReadOnlyMemory&lt;char&gt;</c>).</summary>
    private static bool IsText(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    private static async Task<string?[]> Text(ParquetRowGroupReader group, DataField? field, int n)
    {
        var values = new string?[n];
        if (field is null || !IsText(field)) return values;
        await group.ReadAsync(field, values.AsMemory()!, null);
        return values;
    }

    private static async Task<long?[]> Whole(ParquetRowGroupReader group, DataField? field, int n)
    {
        var values = new long?[n];
        if (field is null) return values;
        if (field.ClrType == typeof(long))
        {
            if (field.IsNullable) await group.ReadAsync<long>(field, values.AsMemory(), null);
            else
            {
                var v = new long[n];
                await group.ReadAsync<long>(field, v.AsMemory(), null);
                for (int i = 0; i < n; i++) values[i] = v[i];
            }
        }
        else if (field.ClrType == typeof(int))
        {
            if (field.IsNullable)
            {
                var v = new int?[n];
                await group.ReadAsync<int>(field, v.AsMemory(), null);
                for (int i = 0; i < n; i++) values[i] = v[i];
            }
            else
            {
                var v = new int[n];
                await group.ReadAsync<int>(field, v.AsMemory(), null);
                for (int i = 0; i < n; i++) values[i] = v[i];
            }
        }
        return values; // another type (text, floating point): not read
    }

    /// <summary>Writes rows as img2dataset's columns (<c>key</c>, <c>url</c>, <c>caption</c>, <c>status</c>, <c>width</c>, <c>height</c>), one row group.</summary>
    public static void Write(Stream destination, IReadOnlyList<ShardMetadataRow> rows)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(rows);
        WriteAsync(destination, rows).GetAwaiter().GetResult();
    }

    private static async Task WriteAsync(Stream destination, IReadOnlyList<ShardMetadataRow> rows)
    {
        var key = new DataField<string>("key", nullable: false);
        var url = new DataField<string>("url");
        var caption = new DataField<string>("caption");
        var status = new DataField<string>("status");
        var width = new DataField<long?>("width");
        var height = new DataField<long?>("height");
        var schema = new ParquetSchema(key, url, caption, status, width, height);
        await using var writer = await ParquetWriter.CreateAsync(schema, destination);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(key, rows.Select(r => r.Key).ToArray(), null);
        await group.WriteAsync(url, rows.Select(r => r.Url).ToArray()!, null);
        await group.WriteAsync(caption, rows.Select(r => r.Caption).ToArray()!, null);
        await group.WriteAsync(status, rows.Select(r => r.Status).ToArray()!, null);
        await group.WriteAsync<long>(width, rows.Select(r => r.Width).ToArray().AsMemory(), null);
        await group.WriteAsync<long>(height, rows.Select(r => r.Height).ToArray().AsMemory(), null);
    }
}
