using Replication.Reporting.Metrics;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// One duplication level of a training set built with known duplicates (<see cref="Data.Datasets.DuplicatedTrainingSet"/>).
/// </summary>
/// <param name="Copies">How many times each image of the level appears in the training set.</param>
/// <param name="Images">Distinct images at this level.</param>
/// <param name="TrainingRows">Training rows they make up (<paramref name="Images"/> × <paramref name="Copies"/>).</param>
/// <param name="ImagesReplicated">The fraction of the level's images that at least one generation replicates (its top-1 match
/// is one of the image's rows and scores above the threshold), with a Wilson score interval over the level's images.</param>
/// <param name="Generations">The fraction of generations that replicate an image of this level, with a bootstrap interval.</param>
/// <param name="RowShare">This level's share of the training rows: the share of generations a model would give it if it drew
/// training rows uniformly.</param>
public sealed record DuplicationLevel(int Copies, int Images, long TrainingRows, Proportion ImagesReplicated, Proportion Generations, double RowShare)
{
    /// <summary>Generations replicating this level per image of the level.</summary>
    public double GenerationsPerImage => Images == 0 ? double.NaN : Generations.Count / (double)Images;
}
