using Plexus.NodeAgent.Doctor;

namespace Plexus.Daemon.Agent;

/// <summary>
/// Turns the doctor's findings of successive watch passes into detections: a problem (code and file)
/// counts once when it appears, not again on every pass while it stays, and again if it comes back. A file is told by
/// its path where the finding has one: the autoconfig dir may hold a file of the same name as the conf dir.
/// </summary>
internal sealed class FindingTracker
{
    private HashSet<(string Code, string File)> _present = [];

    /// <summary>The codes of the problems in <paramref name="findings"/> that the previous pass did not have.</summary>
    public IReadOnlyList<string> Detect(IEnumerable<Finding> findings)
    {
        var now = findings.Where(f => f.IsProblem).Select(f => (f.Code, File: f.Path ?? f.File)).ToHashSet();
        var appeared = now.Where(f => !_present.Contains(f)).Select(f => f.Code).ToList();
        _present = now;
        return appeared;
    }
}
