using System.Globalization;

namespace Replication.Embeddings.Store;

/// <summary>
/// Which shards of a list one process embeds: <c>i/n</c> takes the shards whose place in the list is i modulo n (0 ≤ i &lt; n), so
/// that n processes or machines, each given its own i, cover every shard exactly once. <c>0/1</c> is all of them.
/// </summary>
public readonly record struct ShardSelection(int Index, int Count)
{
    public static readonly ShardSelection All = new(0, 1);

    public bool Includes(int shard) => shard % Count == Index;

    /// <summary>Reads <c>i/n</c>; anything else is a <see cref="ParameterException"/> for <paramref name="parameter"/>.</summary>
    public static ShardSelection Parse(string text, string parameter = "Shard")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && i < n)
            return new ShardSelection(i, n);
        throw new ParameterException(parameter, text, "must be i/n with 0 ≤ i < n (this process's part of n; 0/1 is all)");
    }

    public override string ToString() => $"{Index}/{Count}";
}
