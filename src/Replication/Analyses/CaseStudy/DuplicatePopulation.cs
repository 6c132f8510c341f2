namespace Replication.Analyses.CaseStudy;

/// <summary>The paper's three populations whose duplication in the training set it counts (Figure 11 right).</summary>
public enum DuplicatePopulation
{
    /// <summary>The caption source images of the generations: uniform draws from the training set.</summary>
    Sources,

    /// <summary>The generations' top-1 matches ("match images").</summary>
    Matches,

    /// <summary>The match images of generations whose top-1 score is above the replication threshold.</summary>
    MatchesAboveThreshold,
}
