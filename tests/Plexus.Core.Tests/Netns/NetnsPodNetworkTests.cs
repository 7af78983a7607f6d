using Plexus.Cni;
using Plexus.Core.Netns;

namespace Plexus.Core.Tests.Netns;

public sealed class NetnsPodNetworkTests
{
    [Fact]
    public void IpProgram_NoneOfTheCandidates_IoErrorNamingTheNamespaceThePlacesAndTheRemedy()
    {
        var error = Assert.Throws<CniException>(() => NetnsPodNetwork.IpProgram("/run/netns/p1", ["/nonexistent/a/ip", "/nonexistent/b/ip"]));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("pod namespace /run/netns/p1", error.Message);
        Assert.Contains("/nonexistent/a, /nonexistent/b", error.Message);
        Assert.Contains("chrootDir", error.Details);
    }

    [Fact]
    public void IpProgram_FirstExistingCandidate()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Equal(file, NetnsPodNetwork.IpProgram("/run/netns/p1", ["/nonexistent/ip", file]));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
