using System.Text;

namespace Replication.Core.Formats;

/// <summary>An RFC 4180 CSV file read whole: a header row and data rows, cells addressed by column name.</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, string[] header, List<string[]> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Length; i++)
            _columns.TryAdd(header[i].Trim(), i);
    }

    public string Path { get; }
    public string[] Header { get; }
    public IReadOnlyList<string[]> Rows { get; }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>The cell of <paramref name="row"/> in column <paramref name="name"/>, or null when the column is absent.</summary>
    public string? Cell(int row, string name)
    {
        if (!_columns.TryGetValue(name, out int c))
            return null;
        var r = Rows[row];
        return c < r.Length ? r[c] : "";
    }

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path))
            throw new InputMissingException($"{path}: CSV file not found", path);
        var records = Parse(ReadUtf8(path), path);
        if (records.Count == 0)
            throw new InputDataException($"{path}: CSV file is empty (a header row is required)");
        return new CsvTable(path, records[0], records.Skip(1).Where(r => !(r.Length == 1 && r[0].Length == 0)).ToList());
    }

    /// <summary>The file as UTF-8 text (a BOM is allowed); bytes that are not UTF-8 are an error naming the line, never U+FFFD.</summary>
    private static string ReadUtf8(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        for (int at = 0; at < span.Length;)
        {
            if (System.Text.Rune.DecodeFromUtf8(span[at..], out _, out int used) != System.Buffers.OperationStatus.Done)
            {
                int line = span[..at].Count((byte)'\n') + 1;
                throw new InputDataException($"{path}: line {line}: bytes that are not UTF-8 (0x{bytes[at]:X2} at byte {at}); save the file as UTF-8");
            }
            at += used;
        }
        return Encoding.UTF8.GetString(bytes);
    }

    public static List<string[]> Parse(string text, string path)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        int line = 1;
        bool any = false;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
        while (i < text.Length)
        {
            char c = text[i];
            any = true;
            if (c == '"' && field.Length == 0)
            {
                i++;
                int startLine = line;
                while (true)
                {
                    if (i >= text.Length)
                        throw new InputDataException($"{path}: line {startLine}: unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    field.Append(text[i++]);
                }
                continue;
            }
            if (c == ',') { fields.Add(field.ToString()); field.Clear(); i++; continue; }
            if (c == '\r' || c == '\n')
            {
                fields.Add(field.ToString()); field.Clear();
                records.Add(fields.ToArray()); fields.Clear();
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++; line++; any = false;
                continue;
            }
            field.Append(c);
            i++;
        }
        if (any) { fields.Add(field.ToString()); records.Add(fields.ToArray()); }
        return records;
    }

    /// <summary>Quotes a value for CSV output when it needs quoting.</summary>
    public static string Escape(string? value)
    {
        value ??= "";
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '))
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
    }

    /// <summary>Joins values into one CSV line (no line terminator).</summary>
    public static string Line(params object?[] values) =>
        string.Join(",", values.Select(v => Escape(v switch
        {
            null => "",
            float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString(),
        })));
}
