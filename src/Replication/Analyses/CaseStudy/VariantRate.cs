using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>A key-phrase variant's replication rate: its generations (matched by prompt) above the threshold, with a bootstrap interval.</summary>
public sealed record VariantRate(PromptVariant Variant, Proportion Rate)
{
    public bool HasGenerations => Rate.Total > 0;
}
