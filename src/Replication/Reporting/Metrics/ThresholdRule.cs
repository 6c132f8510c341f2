namespace Replication.Reporting.Metrics;

/// <summary>How a replication threshold is chosen.</summary>
public enum ThresholdRule
{
    /// <summary>A number the user gave.</summary>
    Given,

    /// <summary>The 1% point of the training set's own top-1 similarity when it can be estimated, else the paper's value.</summary>
    Calibrated,

    /// <summary>The paper's 0.5 (Section 7, SSCD).</summary>
    Paper,
}
