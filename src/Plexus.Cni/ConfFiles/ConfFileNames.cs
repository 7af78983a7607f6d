using System.Text;
using Plexus.Cni.IO;

namespace Plexus.Cni.ConfFiles;

/// <summary>
/// Which directory entries a CNI runtime considers, and in which order: libcni and containerd
/// load names ending <c>.conf</c>, <c>.conflist</c> or <c>.json</c>, sorted by byte order, and
/// take the first one as the default network.
/// </summary>
public static class ConfFileNames
{
    public static IReadOnlyList<string> Extensions { get; } = [".conf", ".conflist", ".json"];

    /// <summary>True for a name the runtime would load; AtomicFile's temp files never are.</summary>
    public static bool IsCandidate(string fileName) =>
        !fileName.StartsWith(AtomicFile.TempPrefix, StringComparison.Ordinal)
        && Extensions.Contains(Path.GetExtension(fileName), StringComparer.Ordinal);

    /// <summary>A <c>.conflist</c> holds a list; <c>.conf</c> and <c>.json</c> hold one plugin conf.</summary>
    public static bool IsList(string fileName) =>
        Path.GetExtension(fileName).Equals(".conflist", StringComparison.Ordinal);

    /// <summary>Go's string order (what libcni sorts by): the names' UTF-8 bytes compared as unsigned.</summary>
    public static int Compare(string? a, string? b) =>
        Encoding.UTF8.GetBytes(a ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b ?? ""));

    public static IComparer<string> LoadOrder { get; } = Comparer<string>.Create(Compare);

    /// <summary>The candidates among <paramref name="fileNames"/>, in load order.</summary>
    public static IReadOnlyList<string> InLoadOrder(IEnumerable<string> fileNames) =>
        fileNames.Where(IsCandidate).Order(LoadOrder).ToList();
}
