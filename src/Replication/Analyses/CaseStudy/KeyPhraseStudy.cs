using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// The key-phrase study: for each prompt variant, the generations whose prompt is exactly the variant's prompt, and the fraction of
/// them whose top-1 score is above the study's threshold (with a bootstrap interval). Variants without generations are listed with
/// none, never dropped.
/// </summary>
public static class KeyPhraseStudy
{
    public static IReadOnlyList<VariantRate> Rates(CaseStudyResult study, IReadOnlyList<PromptVariant> variants, int samples = Proportion.DefaultSamples, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(variants);
        var byPrompt = study.Scored.GroupBy(r => r.Prompt.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return variants.Select(v =>
        {
            var rows = byPrompt.TryGetValue(v.Prompt.Trim(), out var found) ? found : [];
            return new VariantRate(v, Proportion.Estimate(rows.Select(r => r.Top1 > study.Threshold).ToList(), samples, seed));
        }).ToList();
    }
}
