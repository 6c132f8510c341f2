using Replication.Embeddings;
using Replication.Analyses.Scanning;
using Spectre.Console;

namespace Replication.Cli;

/// <summary>
/// Spectre.Console progress bars for embedding (images/s, ETA) and search (pairs scored). Updates are applied synchronously
/// (<see cref="CallbackProgress{T}"/>, not <see cref="Progress{T}"/>, whose posted callbacks can land after the bars are drawn
/// for the last time), so every bar ends at 100%, in a terminal or not; reused work says "cached".
/// </summary>
public static class ConsoleProgress
{
    public static T Run<T>(Func<ScanProgress, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return work(PlainLines());
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var hooks = new ScanProgress(
                    Embedding: name =>
                    {
                        var task = ctx.AddTask(name, maxValue: 1);
                        return new CallbackProgress<EmbeddingProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.Total);
                            task.Value = p.Total == 0 ? 1 : p.Done;
                            bool cached = p.ImagesPerSecond == 0 && p.Done == p.Total;
                            string skipped = p.Skipped > 0 ? $", {p.Skipped} skipped" : "";
                            task.Description = cached
                                ? $"{name} {p.Done}/{p.Total} (cached: embeddings reused{skipped})"
                                : $"{name} {p.Done}/{p.Total} ({p.ImagesPerSecond:F1} img/s{skipped})";
                        });
                    },
                    Search: name =>
                    {
                        var task = ctx.AddTask($"search {name}", maxValue: 1);
                        return (done, total) => { task.MaxValue = Math.Max(1, total); task.Value = total == 0 ? 1 : done; };
                    });
                result = work(hooks);
            });
        return result;
    }

    /// <summary>Outside a terminal (a log file, CI): one line when a step starts, at each quarter, and when it ends (100%).</summary>
    private static ScanProgress PlainLines()
    {
        return new ScanProgress(
            Embedding: name =>
            {
                int lastQuarter = -1;
                return new CallbackProgress<EmbeddingProgress>(p =>
                {
                    int quarter = p.Total == 0 ? 4 : 4 * p.Done / p.Total;
                    if (quarter == lastQuarter) return;
                    lastQuarter = quarter;
                    bool cached = p.ImagesPerSecond == 0 && p.Done == p.Total;
                    string skipped = p.Skipped > 0 ? $", {p.Skipped} skipped" : "";
                    string eta = p.Remaining is { } r && p.Done < p.Total ? $", about {r.TotalSeconds:F0} s left" : "";
                    Console.WriteLine(cached
                        ? $"{name}: {p.Done}/{p.Total} cached (embeddings reused{skipped})"
                        : $"{name}: {p.Done}/{p.Total} ({100.0 * p.Done / Math.Max(1, p.Total):F0}%, {p.ImagesPerSecond:F1} img/s{skipped}{eta})");
                });
            },
            Search: name =>
            {
                int lastQuarter = -1;
                return (done, total) =>
                {
                    int quarter = total == 0 ? 4 : (int)(4 * done / total);
                    if (quarter == lastQuarter) return;
                    lastQuarter = quarter;
                    Console.WriteLine($"search {name}: {100.0 * done / Math.Max(1, total):F0}%");
                };
            });
    }
}
