using System.CommandLine;

namespace Replication.Cli.Commands;

/// <summary><c>prompts sample</c> and <c>prompts check</c>: the manifests around generation (which itself happens elsewhere).</summary>
public sealed class PromptsCommand : Command
{
    public PromptsCommand() : base("prompts", "generation manifests: draw prompts from training captions; check a generated-images manifest (path,prompt,source_key,seed)")
    {
        Subcommands.Add(new PromptsSampleCommand());
        Subcommands.Add(new PromptsCheckCommand());
        Subcommands.Add(new PromptsVariantsCommand());
    }
}
