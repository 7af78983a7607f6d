using Plexus.NodeAgent.Kubeconfig;

namespace Plexus.NodeAgent.Tests.Kubeconfig;

public sealed class KubeconfigRefresherTests
{
    [Fact]
    public void Refresh_UpToDateButGroupReadable_ModeSetWithoutRewrite()
    {
        using var temp = new TempDir();
        var sa = new Watch.ProjectedVolume(temp.Sub("sa"));
        sa.Publish("t1");
        var output = Path.Combine(temp.Path, "k", "plexus.kubeconfig");
        var log = new StringWriter();
        var refresher = new KubeconfigRefresher(new KubeconfigOptions { OutputPath = output, ServiceAccountDir = sa.Dir, Server = "https://x:1" },
            new AgentLog(log, TimeProvider.System));
        refresher.Refresh(CancellationToken.None);
        var bytes = File.ReadAllBytes(output);
        var written = File.GetLastWriteTimeUtc(output);
        File.SetUnixFileMode(output, (UnixFileMode)0b110_100_100);

        var rewritten = refresher.Refresh(CancellationToken.None);

        Assert.False(rewritten);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
        Assert.Equal(bytes, File.ReadAllBytes(output));
        Assert.Equal(written, File.GetLastWriteTimeUtc(output));
        Assert.Contains($"kubeconfig {output} is up to date; set its mode to 0600 (was 0644)", log.ToString());
        Assert.DoesNotContain("t1", log.ToString());
    }

    [Fact]
    public void Refresh_CaNotACertificate_NotWrittenWarnedOnceNamingTheFileThenWrittenOnceFixed()
    {
        using var temp = new TempDir();
        var sa = new Watch.ProjectedVolume(temp.Sub("sa"));
        sa.Publish("t1", "garbage, not a certificate");
        var output = Path.Combine(temp.Path, "k", "plexus.kubeconfig");
        var log = new StringWriter();
        var refresher = new KubeconfigRefresher(new KubeconfigOptions { OutputPath = output, ServiceAccountDir = sa.Dir, Server = "https://x:1" },
            new AgentLog(log, TimeProvider.System));

        Assert.False(refresher.Refresh(CancellationToken.None));
        Assert.False(refresher.Refresh(CancellationToken.None));

        Assert.False(File.Exists(output));
        var warning = Assert.Single(log.ToString().Split('\n'), l => l.Contains("holds no PEM certificate", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(sa.Dir, "ca.crt"), warning);
        Assert.Contains($"kubeconfig {output} not written", warning);
        sa.Publish("t1");
        Assert.True(refresher.Refresh(CancellationToken.None));
    }

    [Fact]
    public void Refresh_TokenNotThereYet_WarnedOnceUntilItIs()
    {
        using var temp = new TempDir();
        var sa = new Watch.ProjectedVolume(temp.Sub("sa"));
        var output = Path.Combine(temp.Path, "k", "plexus.kubeconfig");
        var log = new StringWriter();
        var refresher = new KubeconfigRefresher(new KubeconfigOptions { OutputPath = output, ServiceAccountDir = sa.Dir, Server = "https://x:1" },
            new AgentLog(log, TimeProvider.System));

        refresher.Refresh(CancellationToken.None);
        refresher.Refresh(CancellationToken.None);
        sa.Publish("t1");

        Assert.True(refresher.Refresh(CancellationToken.None));
        Assert.Single(log.ToString().Split('\n'), l => l.Contains($"no service-account token and ca.crt in {sa.Dir} (yet)", StringComparison.Ordinal)
            && l.Contains("ADDs of pods fail until it is", StringComparison.Ordinal));
    }
}
