using System.Text;
using Plexus.NodeAgent.Kubeconfig;

namespace Plexus.NodeAgent.Tests.Kubeconfig;

public sealed class KubeconfigRendererTests
{
    [Theory]
    [InlineData("10.43.0.1", "443", "https://10.43.0.1:443")]
    [InlineData("fd00::1", "6443", "https://[fd00::1]:6443")]
    [InlineData(null, "443", null)]
    [InlineData("10.43.0.1", "", null)]
    public void ServerFromEnvironment_HostAndPort_BuildsUrl(string? host, string? port, string? expected) =>
        Assert.Equal(expected, KubeconfigRenderer.ServerFromEnvironment(host, port));

    [Fact]
    public void Render_Credentials_EmbedsServerCaAndTrimmedToken()
    {
        var text = KubeconfigRenderer.Render("https://10.43.0.1:443", Encoding.ASCII.GetBytes("CA"), "abc.def\n");

        Assert.Contains("server: \"https://10.43.0.1:443\"", text);
        Assert.Contains("certificate-authority-data: " + Convert.ToBase64String(Encoding.ASCII.GetBytes("CA")), text);
        Assert.Contains("token: \"abc.def\"\n", text);
        Assert.Contains("current-context: plexus-context", text);
    }

    [Fact]
    public void Refresh_NoCredentials_WritesNothing()
    {
        using var temp = new TempDir();
        var output = Path.Combine(temp.Path, "k", "plexus.kubeconfig");
        var refresher = new KubeconfigRefresher(new KubeconfigOptions { OutputPath = output, ServiceAccountDir = temp.Sub("sa"), Server = "https://x:1" },
            new AgentLog(TextWriter.Null, TimeProvider.System));

        Assert.False(refresher.Refresh(CancellationToken.None));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Refresh_SameCredentialsTwice_WritesOnce()
    {
        using var temp = new TempDir();
        var sa = new Watch.ProjectedVolume(temp.Sub("sa"));
        sa.Publish("t1");
        var output = Path.Combine(temp.Path, "k", "plexus.kubeconfig");
        var refresher = new KubeconfigRefresher(new KubeconfigOptions { OutputPath = output, ServiceAccountDir = sa.Dir, Server = "https://x:1" },
            new AgentLog(TextWriter.Null, TimeProvider.System));

        Assert.True(refresher.Refresh(CancellationToken.None));
        Assert.False(refresher.Refresh(CancellationToken.None));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(output)!));
    }
}
