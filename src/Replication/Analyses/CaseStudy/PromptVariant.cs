namespace Replication.Analyses.CaseStudy;

/// <summary>One prompt of a key-phrase study: its name, the prompt, and the phrase removed from the base prompt (null: the base, or a
/// preset prompt taken as it is).</summary>
public sealed record PromptVariant(string Name, string Prompt, string? Removed = null);
