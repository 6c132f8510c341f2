using Replication.Analyses.Scanning;

namespace Replication.Analyses.CaseStudy;

/// <param name="Study">The Section 7 analyses of the generations against the duplicated training store.</param>
/// <param name="Levels">The replication rate per duplication level (<see cref="DuplicationRates"/>).</param>
/// <param name="Threshold">The threshold applied and why (auto: calibrated on the base set, each image once).</param>
/// <param name="Generations">The generations' manifest (<c>path,prompt,source_key,seed</c>).</param>
public sealed record DuplicationStudyResult(DuplicationStudyOptions Options, CaseStudyResult Study, IReadOnlyList<DuplicationLevel> Levels,
    ThresholdChoice Threshold, string Generations, string Store)
{
    /// <summary>
    /// Whether replication rises with duplication: the fraction of images replicated grows from the least to the most duplicated
    /// level, and the most duplicated level's interval lies above the once-seen level's.
    /// </summary>
    public bool RisesWithDuplication
    {
        get
        {
            if (Levels.Count < 2) return false;
            var first = Levels[0].ImagesReplicated;
            var last = Levels[^1].ImagesReplicated;
            return last.Fraction > first.Fraction && last.Low > first.High;
        }
    }
}
