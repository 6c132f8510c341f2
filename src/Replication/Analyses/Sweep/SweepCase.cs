namespace Replication.Analyses.Sweep;

/// <summary>One model of a training-size sweep: its generations and the training set it was trained on
/// (a folder or manifest; the training sets of one sweep must be nested, each inside the largest).</summary>
public sealed record SweepCase(string Label, int TrainingSize, string Generated, string Training);
