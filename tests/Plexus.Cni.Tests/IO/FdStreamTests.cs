using System.Runtime.InteropServices;
using System.Text;
using Plexus.Cni.IO;

namespace Plexus.Cni.Tests.IO;

/// <summary>
/// The descriptor stream behind stdin/stdout/stderr, on descriptors the test opens itself with libc (so their
/// shared file offset is the kernel's, exactly as a shell's redirection leaves it).
/// </summary>
public sealed class FdStreamTests : IDisposable
{
    private const int ORdOnly = 0;
    private const int OWrOnly = 1;
    private const int OCreat = 0x40;
    private const int OTrunc = 0x200;
    private const int OAppend = 0x400;
    private const int SeekSet = 0;
    private const int SeekCur = 1;

    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-fdstream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_AfterOtherWriterAdvancedOffset_LandsAfterItAndAdvancesTheSharedOffset()
    {
        var path = Path.Combine(_dir, "o.txt");
        var fd = Open(path, OWrOnly | OCreat | OTrunc);
        try
        {
            RawWrite(fd, "before\n");
            using (var stream = new FdStream(fd, FileAccess.Write))
            {
                stream.Write("""{"cniVersion":"1.1.0"}"""u8);
            }
            Assert.Equal(29, lseek(fd, 0, SeekCur));
            RawWrite(fd, "rc=0\n");
        }
        finally
        {
            _ = close(fd);
        }

        Assert.Equal("before\n{\"cniVersion\":\"1.1.0\"}rc=0\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_AppendMode_AlwaysLandsAtTheEnd()
    {
        var path = Path.Combine(_dir, "log");
        File.WriteAllText(path, "abc");
        var fd = Open(path, OWrOnly | OAppend);
        try
        {
            using var stream = new FdStream(fd, FileAccess.Write);
            stream.Write("def"u8);
            File.AppendAllText(path, "ghi");
            stream.Write("jkl"u8);
        }
        finally
        {
            _ = close(fd);
        }

        Assert.Equal("abcdefghijkl", File.ReadAllText(path));
    }

    [Fact]
    public async Task WriteAsync_LargeIntoPipe_AllBytesArriveInOrder()
    {
        var content = new byte[1 << 20];
        new Random(7).NextBytes(content);
        var fds = new int[2];
        Assert.Equal(0, pipe(fds));
        byte[] received;
        using (var reader = new FdStream(fds[0], FileAccess.Read))
        {
            var reading = Task.Run(() =>
            {
                using var buffer = new MemoryStream();
                reader.CopyTo(buffer);
                return buffer.ToArray();
            });
            using (var writer = new FdStream(fds[1], FileAccess.Write))
            {
                await writer.WriteAsync(content);
            }
            _ = close(fds[1]);
            received = await reading;
        }
        _ = close(fds[0]);

        Assert.Equal(content, received);
    }

    [Fact]
    public void Read_FromAdvancedOffset_StartsThereAndAdvancesTheSharedOffset()
    {
        var path = Path.Combine(_dir, "in.json");
        File.WriteAllText(path, "skip:{\"cniVersion\":\"1.0.0\"}");
        var fd = Open(path, ORdOnly);
        try
        {
            Assert.Equal(5, lseek(fd, 5, SeekSet));
            using var stream = new FdStream(fd, FileAccess.Read);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);

            Assert.Equal("{\"cniVersion\":\"1.0.0\"}", Encoding.UTF8.GetString(copy.ToArray()));
            Assert.Equal(27, lseek(fd, 0, SeekCur));
        }
        finally
        {
            _ = close(fd);
        }
    }

    [Fact]
    public void Write_BadDescriptor_ThrowsIOExceptionNamingIt()
    {
        using var stream = new FdStream(-1, FileAccess.Write);

        var error = Assert.Throws<IOException>(() => stream.Write("x"u8));

        Assert.Contains("file descriptor -1", error.Message);
        Assert.Contains("Bad file descriptor", error.Message);
    }

    [Fact]
    public void Read_BadDescriptor_ThrowsIOExceptionNamingIt()
    {
        using var stream = new FdStream(-1, FileAccess.Read);

        var error = Assert.Throws<IOException>(() => stream.ReadByte());

        Assert.Contains("file descriptor -1", error.Message);
    }

    [Fact]
    public void WrongDirection_AndSeeking_AreNotSupported()
    {
        using var output = new FdStream(-1, FileAccess.Write);
        using var input = new FdStream(-1, FileAccess.Read);

        Assert.False(output.CanRead);
        Assert.False(input.CanWrite);
        Assert.False(output.CanSeek);
        Assert.Throws<NotSupportedException>(() => output.ReadByte());
        Assert.Throws<NotSupportedException>(() => input.WriteByte(1));
        Assert.Throws<NotSupportedException>(() => output.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => output.Position);
    }

    private static int Open(string path, int flags)
    {
        var fd = open(path, flags, 0x180);
        Assert.True(fd >= 0, $"cannot open {path}: errno {Marshal.GetLastWin32Error()}");
        return fd;
    }

    private static void RawWrite(int fd, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(bytes.Length, (int)write(fd, bytes, bytes.Length));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern long lseek(int fd, long offset, int whence);

    [DllImport("libc", SetLastError = true)]
    private static extern int pipe(int[] fds);

    [DllImport("libc")]
    private static extern int close(int fd);
}
