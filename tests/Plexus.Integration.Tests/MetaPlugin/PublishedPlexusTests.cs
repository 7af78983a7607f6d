using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>
/// The published <c>plexus</c> carries its own OpenSSL (StaticOpenSslLinking), as Multus's Go binary carries Go's
/// crypto: on a node where libssl and libcrypto cannot be loaded it still speaks TLS to the API server. The
/// libraries are hidden in a private mount namespace by bind-mounting /dev/null over them; the openssl tool,
/// which links them, proves the hiding works.
/// </summary>
[Trait("Category", "Root")]
public sealed class PublishedPlexusTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task Add_NodeWithoutLoadableOpenSsl_StillAsksTheApiServer()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network and mount namespaces");
        Skip.IfNot(PublishedBinary.Plexus.Exists, PublishedBinary.Plexus.NotPublished);
        var launcher = WithoutOpenSsl(SharedOpenSslLibraries());
        var (opensslExit, opensslError) = await RunAsync([.. launcher, "openssl", "version"]);
        Assert.True(opensslExit != 0, $"openssl still ran with its libraries hidden: {opensslError}");
        await using var bed = await MetaPluginBed.CreateAsync(None);
        bed.Sim.CreatePod(bed.Namespace, "p", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "ghost" });
        var podNs = await bed.Node.CreatePodAsync(None);
        var env = MetaPluginBed.Environment("ADD", MetaPluginBed.NewContainerId(), podNs, bed.Namespace, "p");

        var (exit, stdout, stderr) = await PublishedBinary.Plexus.RunAsync(env,
            Encoding.UTF8.GetBytes(bed.Config(bed.BridgeConf("cbr0", "10.10.0.0/24", "cni0"))), launcher: launcher);

        // The NAD lookup got the API server's 404: TLS worked without the node's OpenSSL.
        Assert.True(exit != 0, $"exit 0; stderr: {stderr}");
        var error = JsonNode.Parse(stdout)!;
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)error["code"]!);
        Assert.Contains($"cannot find a network-attachment-definition (ghost) in namespace ({bed.Namespace})", (string)error["msg"]!);
        var warning = Assert.Single(bed.Sim.List("v1", "Event", bed.Namespace));
        Assert.Equal("NoNetworkFound", (string?)warning["reason"]);
        Assert.Equal(["lo"], (await bed.AddressesAsync(podNs, None)).Keys.ToArray());
    }

    /// <summary>Every libssl and libcrypto the dynamic loader knows, as real paths.</summary>
    private static List<string> SharedOpenSslLibraries()
    {
        var start = new ProcessStartInfo("ldconfig", ["-p"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var ldconfig = Process.Start(start)!;
        var libraries = ldconfig.StandardOutput.ReadToEnd().Split('\n')
            .Where(line => line.TrimStart().StartsWith("libssl.so", StringComparison.Ordinal) || line.TrimStart().StartsWith("libcrypto.so", StringComparison.Ordinal))
            .Select(line => line[(line.LastIndexOf("=> ", StringComparison.Ordinal) + 3)..].Trim())
            .Select(path => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path)
            .Distinct().ToList();
        ldconfig.WaitForExit();
        Skip.If(libraries.Count == 0, "the dynamic loader knows no libssl or libcrypto here: nothing to hide");
        return libraries;
    }

    /// <summary>unshare + sh running the command appended to it with <paramref name="libraries"/> replaced by /dev/null.</summary>
    private static string[] WithoutOpenSsl(IEnumerable<string> libraries) =>
        ["unshare", "--mount", "--propagation", "private", "sh", "-c",
         string.Concat(libraries.Select(path => $"mount --bind /dev/null '{path}' || exit 97; ")) + "exec \"$0\" \"$@\""];

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string[] command)
    {
        var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr);
    }
}
