namespace Replication.Data.Generations;

/// <summary>What a stand-in "generation" is (<see cref="StandInGenerations"/>): no generative model made it.</summary>
public enum StandInKind
{
    /// <summary>A lightly cropped and flipped copy of a training image: what a replicating model would produce.</summary>
    Planted,

    /// <summary>The same transform of an image that is not in the training set.</summary>
    Novel,
}
