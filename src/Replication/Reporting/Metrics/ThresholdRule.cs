namespace Replication.Reporting.Metrics;

/// <summary>How a replication threshold is chosen.</summary>
public enum ThresholdRule
{
    /// <summary>A number the user gave.</summary>
    Given,

    /// <summary>auto: the model card's threshold calibrated on unrelated pairs when it has one and the scores are on its scale;
    /// else the 1% point of the training set's own top-1 similarity when it can be estimated; else the paper's value.</summary>
    Calibrated,

    /// <summary>The paper's 0.5 (Section 7, SSCD).</summary>
    Paper,

    /// <summary>training: the 1% point of the training set's own top-1 similarity (the card's calibration ignored: for images
    /// unlike those it was calibrated on, such as a small model's 32-pixel generations), else the paper's value.</summary>
    Training,
}
