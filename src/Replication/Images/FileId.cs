namespace Replication.Images;

/// <summary>A file's identity on this machine: device and inode (what <c>stat</c> gives), the same through every link to it.</summary>
public readonly record struct FileId(ulong Device, ulong Inode);
