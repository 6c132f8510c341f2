namespace Replication.Analyses.Demo;

/// <summary>Replica detection at a threshold: a generation is flagged when its top-1 similarity exceeds it.</summary>
public sealed record DetectionScore(double Threshold, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <param name="isReplica">Ground truth per generation.</param>
    /// <param name="topScores">Top-1 similarity per generation (same order).</param>
    public static DetectionScore Compute(IReadOnlyList<bool> isReplica, IReadOnlyList<float> topScores, double threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < isReplica.Count; i++)
        {
            bool flagged = topScores[i] > threshold;
            if (flagged && isReplica[i]) tp++;
            else if (flagged) fp++;
            else if (isReplica[i]) fn++;
            else tn++;
        }
        return new DetectionScore(threshold, tp, fp, fn, tn);
    }
}
