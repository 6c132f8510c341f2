namespace Replication.Data.Diffusion;

/// <summary>A progress line of models/ddpm/train_ddpm.py: <c>progress STEP/TOTAL loss=L steps/s=R</c>.</summary>
public sealed record TrainingProgress(int Step, int Total, double Loss, double StepsPerSecond)
{
    /// <summary>The progress in a line of the script's output, or null for any other line.</summary>
    public static TrainingProgress? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith("progress ", StringComparison.Ordinal)) return null;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4) return null;
        var steps = parts[1].Split('/');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (steps.Length != 2 || !int.TryParse(steps[0], inv, out int step) || !int.TryParse(steps[1], inv, out int total)) return null;
        double Value(string part, string key) => part.StartsWith(key, StringComparison.Ordinal) && double.TryParse(part[key.Length..], System.Globalization.NumberStyles.Float, inv, out double v) ? v : double.NaN;
        return new TrainingProgress(step, total, Value(parts[2], "loss="), Value(parts[3], "steps/s="));
    }
}
