using System.CommandLine;

namespace Replication.Cli.Commands;

/// <summary><c>cluster slurm</c>: the sharded embedding and search as batch jobs of an existing cluster engine.</summary>
public sealed class ClusterCommand : Command
{
    public ClusterCommand() : base("cluster", "run the sharded embedding and search on a cluster: job scripts for an existing engine (Slurm)")
    {
        Subcommands.Add(new ClusterSlurmCommand());
    }
}
