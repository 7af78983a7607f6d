namespace Plexus.Cni.ConfFiles;

/// <summary>
/// One candidate entry of a conf dir as read from disk: its bytes when it is a readable regular
/// file (symlinks followed, as libcni does), otherwise why it could not be read.
/// </summary>
public sealed record ConfFile
{
    public required string Name { get; init; }

    public required string Path { get; init; }

    /// <summary>The file's content; null when <see cref="Unreadable"/> says why not.</summary>
    public byte[]? Content { get; init; }

    /// <summary>Why the entry has no content (not a regular file, vanished, too large, permission).</summary>
    public string? Unreadable { get; init; }

    public static ConfFile FromBytes(string name, byte[] content, string? dir = null) =>
        new() { Name = name, Path = System.IO.Path.Combine(dir ?? "", name), Content = content };
}
