namespace Replication.Core.Files;

/// <summary>Another live run holds the <see cref="OutputLock"/> of an output (an <see cref="IOException"/>, as before this type existed).</summary>
public sealed class OutputLockedException(string message) : IOException(message);
