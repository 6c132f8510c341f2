namespace Replication.Cli;

public sealed record OptionSpec(string Name, string Help, string? Default = null, bool Required = false, bool IsFlag = false);
