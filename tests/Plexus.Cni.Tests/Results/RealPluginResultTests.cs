using System.Diagnostics;
using System.Text;
using Plexus.Cni.Results;

namespace Plexus.Cni.Tests.Results;

/// <summary>
/// Parses what Debian's real host-local IPAM plugin prints at each spec version it speaks.
/// host-local needs no root and no namespace; it writes only into a per-test temp dataDir.
/// </summary>
public sealed class RealPluginResultTests : IDisposable
{
    private const string HostLocal = "/usr/lib/cni/host-local";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("plexus-hl-").FullName;

    public static TheoryData<string> HostLocalVersions() => new("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0");

    [SkippableTheory]
    [MemberData(nameof(HostLocalVersions))]
    public async Task Parse_HostLocalAddOutput_ReadsAddressesAndConvertsLosslessly(string version)
    {
        Skip.IfNot(File.Exists(HostLocal), $"{HostLocal} missing: install containernetworking-plugins (make deps)");
        var containerId = "plexus-test-" + Guid.NewGuid().ToString("N")[..12];

        var (exit, stdout) = await RunHostLocal("ADD", version, containerId);
        try
        {
            Assert.True(exit == 0, $"host-local ADD failed: {stdout}");

            var result = CniResult.Parse(Encoding.UTF8.GetBytes(stdout), CniVersion.V010);

            Assert.Equal(CniVersion.Parse(version), result.Version);
            var latest = (Result100)result.ConvertTo(CniVersion.Latest);
            Assert.Collection(
                latest.Ips,
                ip => Assert.StartsWith("10.77.0.", ip.Address),
                ip => Assert.StartsWith("fd77::", ip.Address));
            Assert.Equal(["0.0.0.0/0", "::/0"], latest.Routes.Select(r => r.Dst));
            Assert.Equal(result.ToJson().ToJsonString(), latest.ConvertTo(result.Version).ToJson().ToJsonString());
        }
        finally
        {
            await RunHostLocal("DEL", version, containerId);
        }
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private async Task<(int Exit, string Stdout)> RunHostLocal(string command, string version, string containerId)
    {
        var conf = "{\"cniVersion\":\"" + version + "\",\"name\":\"plexus-test\",\"type\":\"host-local\",\"ipam\":{\"type\":\"host-local\","
            + "\"dataDir\":\"" + _dataDir + "\",\"ranges\":[[{\"subnet\":\"10.77.0.0/24\"}],[{\"subnet\":\"fd77::/64\"}]],"
            + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]}}";
        var start = new ProcessStartInfo(HostLocal)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["CNI_COMMAND"] = command,
                ["CNI_CONTAINERID"] = containerId,
                ["CNI_NETNS"] = "/var/run/netns/unused-by-host-local",
                ["CNI_IFNAME"] = "eth0",
                ["CNI_PATH"] = "/usr/lib/cni",
                ["CNI_ARGS"] = "",
            },
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(conf), timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
