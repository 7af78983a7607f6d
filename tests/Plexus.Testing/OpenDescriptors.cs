namespace Plexus.Testing;

/// <summary>
/// This process's open file descriptors and what each refers to (<c>/proc/self/fd</c>). Tests running beside the caller
/// open and close descriptors all the time, so one listed may be gone by the time its link is read: it is skipped, not
/// an error.
/// </summary>
public static class OpenDescriptors
{
    public static List<(int Fd, string Target)> List()
    {
        var open = new List<(int, string)>();
        foreach (var path in Directory.GetFiles("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(path).LinkTarget;
            }
            catch (IOException)
            {
                continue;   // closed since it was listed
            }
            if (target is not null)
            {
                open.Add((int.Parse(Path.GetFileName(path), System.Globalization.CultureInfo.InvariantCulture), target));
            }
        }
        return open;
    }
}
