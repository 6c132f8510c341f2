using Replication.Images;

namespace Replication.Analyses.PerClass;

/// <summary>One class of the study (the paper's Figure 6 left, one point): its generations' top-1 similarity to the class's
/// training images (max and mean), the mean top-1 similarity of each training image to the others of its class, and the fraction
/// of its generations whose nearest training image over all scored classes is of this class.</summary>
public sealed record ClassRow(string Class, string Name, int Generated, int Training, double MaxGeneratedTop1, double MeanGeneratedTop1,
    double MeanTrainingSelfTop1, ImageRecord BestGeneration, ImageRecord BestMatch, double OwnClassRate = double.NaN);
