namespace Replication.Data.Generations;

/// <summary>One generated image of an imported manifest: its file (an absolute path), the prompt, the training sample whose
/// caption the prompt is, and the generator's seed (null where the generator did not report one).</summary>
public sealed record GeneratedImage(string Path, string Prompt, string SourceKey, long? Seed)
{
    /// <summary>The source key of a prompt not drawn from the training set (a key-phrase variant, a hand-written prompt).</summary>
    public const string NoSource = "-";

    public bool HasSource => SourceKey != NoSource;
}
