namespace Replication.Analyses.Benchmark;

/// <summary>What one search case measured: wall time of the search alone (files on disk, read block by block), GFLOP/s,
/// peak resident memory of the process that ran it (Linux VmHWM), and agreement with the scalar reference.</summary>
public sealed record SearchBenchResult(SearchBenchCase Case, double Seconds, double Gflops, long PeakResidentBytes, long BudgetBytes,
    int CheckedQueries, double MaxScoreDifference, int IndexMismatches);
