namespace Replication.Analyses.CaseStudy;

/// <summary>
/// One generation of a case study (a line of <c>generations.csv</c>). Scores are NaN and rows -1 where they do not exist: a
/// generation that could not be embedded (<see cref="Problem"/> says why), or a source key that is not in the store.
/// </summary>
/// <param name="Top1">The best score against the whole training store (the paper's Figure 11 left and replication rate).</param>
/// <param name="MatchRow">The store row of that best match ("match image").</param>
/// <param name="OwnSource">The score between the generation and its own caption's source image.</param>
/// <param name="Top1ExcludingSource">The best score against the store with its own source image left out.</param>
/// <param name="MatchIsSource">Whether the best match is the generation's own source image.</param>
/// <param name="SourceTop1">The source image's own best score against the rest of the store (itself left out; Figure 11 centre).</param>
/// <param name="SourceDuplicates">How many other store images score above the duplicate threshold against the source image.</param>
/// <param name="MatchDuplicates">The same for the match image.</param>
/// <param name="SourceDuplicatesAtLeast">The count reached the per-shard candidate cap: a lower bound.</param>
public sealed record GenerationRow(int Index, string Path, string Prompt, string SourceKey, long? Seed,
    float Top1, long MatchRow, string? MatchKey, string? MatchCaption,
    long SourceRow, string? SourceCaption, float OwnSource, float Top1ExcludingSource, bool MatchIsSource, float SourceTop1,
    long SourceDuplicates, bool SourceDuplicatesAtLeast, long MatchDuplicates, bool MatchDuplicatesAtLeast, string? Problem)
{
    public bool Scored => Problem is null;

    /// <summary>Whether the prompt is a training caption (the paper's Section 7 population); false for prompts not drawn from the
    /// training set (source key <see cref="Replication.Data.Generations.GeneratedImage.NoSource"/>: key-phrase variants), which the rate and the
    /// duplicate populations leave out and <see cref="KeyPhraseStudy"/> scores.</summary>
    public bool FromTrainingCaption => SourceKey != Replication.Data.Generations.GeneratedImage.NoSource;
}
