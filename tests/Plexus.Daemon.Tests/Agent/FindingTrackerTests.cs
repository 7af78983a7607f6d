using Plexus.Daemon.Agent;
using Plexus.NodeAgent.Doctor;

namespace Plexus.Daemon.Tests.Agent;

public sealed class FindingTrackerTests
{
    private static readonly Finding SelfDelegation = new(FindingSeverity.Error, "self-delegation", "00-multus.conf", "delegates to itself");
    private static readonly Finding Oversized = new(FindingSeverity.Warning, "oversized", "00-multus.conf", "big");
    private static readonly Finding NotGenerated = new(FindingSeverity.Info, "not-generated", "00-plexus.conflist", "no config yet");

    [Fact]
    public void Detect_NewProblems_ReturnsTheirCodesButNotInfo()
    {
        var tracker = new FindingTracker();

        Assert.Equal(["self-delegation", "oversized"], tracker.Detect([SelfDelegation, Oversized, NotGenerated]));
    }

    [Fact]
    public void Detect_SameProblemNextPass_NotCountedAgain()
    {
        var tracker = new FindingTracker();
        tracker.Detect([SelfDelegation]);

        Assert.Empty(tracker.Detect([SelfDelegation]));
    }

    [Fact]
    public void Detect_ProblemGoneThenBack_CountedAgain()
    {
        var tracker = new FindingTracker();
        tracker.Detect([SelfDelegation]);
        tracker.Detect([]);

        Assert.Equal(["self-delegation"], tracker.Detect([SelfDelegation]));
    }

    [Fact]
    public void Detect_SameCodeOtherFile_CountedAsANewProblem()
    {
        var tracker = new FindingTracker();
        tracker.Detect([SelfDelegation]);

        Assert.Equal(["self-delegation"], tracker.Detect([SelfDelegation, SelfDelegation with { File = "01-other.conf" }]));
    }

    [Fact]
    public void Detect_SameCodeAndNameInTheAutoconfigDir_CountedAsANewProblem()
    {
        var tracker = new FindingTracker();
        var inConfDir = SelfDelegation with { Path = "/etc/cni/net.d/00-multus.conf" };
        tracker.Detect([inConfDir]);

        Assert.Equal(["self-delegation"], tracker.Detect([inConfDir, SelfDelegation with { Path = "/etc/cni/multus/net.d/00-multus.conf" }]));
    }
}
