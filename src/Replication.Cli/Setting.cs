namespace Replication.Cli;

/// <summary>An option's parsed value with the text it was read from, so that help shows a default as it is written (4GiB, auto, none).</summary>
public readonly record struct Setting<T>(T Value, string Text)
{
    public override string ToString() => Text;
}
