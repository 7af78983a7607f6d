using Plexus.NodeAgent.IO;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Doctor;

/// <summary>
/// Who may write the configs whose plugins the runtime runs as root, and temp files of writes that never finished
/// (pure: modes and the abandoned temp files come from the caller).
/// </summary>
public static class FileSafetyChecks
{
    /// <summary>Plexus's config's mode, as generation writes it.</summary>
    public const UnixFileMode OwnMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>A write takes milliseconds; a temp file this old belongs to a writer that was killed, never a live one.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <param name="modeOf">A file's mode, or null when it is not a regular file (or is gone).</param>
    /// <param name="abandonedTempFiles">Full paths of temp files older than <see cref="AbandonedAfter"/>.</param>
    public static IReadOnlyList<Finding> Check(PrimarySelection selection, Func<string, UnixFileMode?> modeOf, IEnumerable<string> abandonedTempFiles, string confDir)
    {
        var findings = new List<Finding>();
        foreach (var file in selection.Files)
        {
            if (modeOf(file.Path) is not { } mode)
            {
                continue;
            }
            if (file.IsOwnOutput && mode != OwnMode)
            {
                findings.Add(new(IsWritableByOthers(mode) ? FindingSeverity.Error : FindingSeverity.Warning, "config-mode", file.Name,
                    $"mode {FileModeStore.Octal(mode)}, not {FileModeStore.Octal(OwnMode)}" +
                    (IsWritableByOthers(mode) ? ": whoever can write it can point binDir or a delegate at a plugin of their own, which the runtime runs as root" : "") +
                    "; `plexus doctor --fix` (or `plexus config generate`) sets it"));
            }
            else if (!file.IsOwnOutput && IsWritableByOthers(mode))
            {
                findings.Add(new(FindingSeverity.Warning, "config-writable", file.Name,
                    $"mode {FileModeStore.Octal(mode)}: group/others can write it, and the runtime runs the plugins it names as root; " +
                    "Plexus leaves files it did not write as they are: `chmod go-w` it"));
            }
        }
        foreach (var path in abandonedTempFiles)
        {
            var inConfDir = Path.GetDirectoryName(path) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(confDir));
            findings.Add(new(FindingSeverity.Warning, "stray-temp-file", inConfDir ? Path.GetFileName(path) : path,
                $"temp file of a write that never finished (its writer was killed); `plexus doctor --fix` removes it"));
        }
        return findings;
    }

    private static bool IsWritableByOthers(UnixFileMode mode) => (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
}
