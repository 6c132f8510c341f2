using System.CommandLine;

namespace Replication.Cli.Commands;

/// <summary><c>index build</c> and <c>index search</c>: approximate search (HNSW) where exact search is too slow, always with its recall against exact search.</summary>
public sealed class IndexCommand : Command
{
    public IndexCommand() : base("index", "approximate search (HNSW through USearch, cosine only): build an index next to a store or .npy, search it with recall@1/@10 against exact search reported")
    {
        Subcommands.Add(new IndexBuildCommand());
        Subcommands.Add(new IndexSearchCommand());
    }
}
