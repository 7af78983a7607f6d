namespace Plexus.Linux;

/// <summary>The Linux errno values Plexus tells apart (x86-64 and arm64 share them).</summary>
public static class Errno
{
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EINVAL = 22;
    public const int EPIPE = 32;
    public const int ECONNRESET = 104;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EINPROGRESS = 115;
}
