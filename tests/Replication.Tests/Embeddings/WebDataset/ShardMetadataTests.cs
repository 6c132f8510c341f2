using Parquet;
using Parquet.Schema;
using Replication.Embeddings.WebDataset;

namespace Replication.Tests.Embeddings.WebDataset;

/// <summary>The per-shard parquet (fixtures written with Parquet.Net here: this machine's Python has no pyarrow).</summary>
public class ShardMetadataTests
{
    [Fact]
    public void RowsRoundTripThroughParquet()
    {
        var path = Path.Combine(Fixtures.TempFolder(), "00000.parquet");
        var rows = new[]
        {
            new ShardMetadataRow("000000000", "https://example.org/a.jpg", "a cat", 256, 192),
            new ShardMetadataRow("000000001", null, "caf\u00e9 \u2603", null, null, "failed_to_download"),
        };
        using (var f = File.Create(path)) ShardMetadata.Write(f, rows);
        var read = ShardMetadata.Read(path);
        Assert.Equal(rows, read.Values.OrderBy(r => r.Key));
    }

    [Fact]
    public void ACorruptParquetIsAnInputDataErrorNamingTheFile()
    {
        var path = Path.Combine(Fixtures.TempFolder(), "00000.parquet");
        File.WriteAllBytes(path, "PAR1 this is not really parquet PAR1"u8.ToArray());
        var e = Assert.Throws<InputDataException>(() => ShardMetadata.Read(path));
        Assert.Contains(path, e.Message);
        var truncated = Path.Combine(Fixtures.TempFolder(), "cut.parquet");
        using (var f = File.Create(truncated)) ShardMetadata.Write(f, [new ShardMetadataRow("k", "u", "c", 1, 1)]);
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Throws<InputDataException>(() => ShardMetadata.Read(truncated));
    }

    [Fact]
    public async Task ASchemaWithoutATextKeyIsASchemaMismatch()
    {
        var path = Path.Combine(Fixtures.TempFolder(), "00000.parquet");
        var key = new DataField<long>("key");
        await using (var f = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(key), f);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(key, new long[] { 1, 2 }.AsMemory(), null);
        }
        var e = Assert.Throws<InputDataException>(() => ShardMetadata.Read(path));
        Assert.Contains("schema mismatch", e.Message);
    }
}
