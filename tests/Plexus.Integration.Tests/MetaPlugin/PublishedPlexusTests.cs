using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>
/// The published <c>plexus</c> carries its own OpenSSL (StaticOpenSslLinking), as Multus's Go binary carries Go's
/// crypto. Each test changes what the node looks like inside a private mount namespace (bind mounts and tmpfs seen
/// by that process only) and checks that the plugin still reaches the API server: its NAD lookup gets the
/// server's 404, which needs a completed TLS handshake.
/// </summary>
[Trait("Category", "Root")]
public sealed class PublishedPlexusTests
{
    private const string TouchesNothing = "touches-nothing";
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task Add_NodeWithoutLoadableOpenSsl_StillReachesTheApiServer()
    {
        SkipUnlessRunnable();
        var hideOpenSsl = string.Concat(SharedOpenSslLibraries().Select(path => $"mount --bind /dev/null '{path}' || exit 97; "));
        // The hiding works: the openssl tool, which links those libraries, cannot start.
        var (opensslExit, opensslError) = await RunAsync([.. OnChangedNode(hideOpenSsl), "openssl", "version"]);
        Assert.True(opensslExit != 0, $"openssl still ran with its libraries hidden: {opensslError}");
        await using var bed = await MetaPluginBed.CreateAsync(None);

        var added = await AddPodAsync(bed, bed.Kubeconfig, OnChangedNode(hideOpenSsl));

        AssertNadNotFound(bed, added);
    }

    [SkippableFact]
    public async Task Add_KubeconfigWithoutCa_TrustsTheCaBundleOfTheNodesDistribution()
    {
        SkipUnlessRunnable();
        await using var bed = await MetaPluginBed.CreateAsync(None);
        var ca = Path.Combine(bed.Node.Root, "cluster-ca.pem");
        await File.WriteAllTextAsync(ca, bed.Sim.CaPem);
        var kubeconfig = Path.Combine(bed.Node.Root, "kubeconfig-system-trust");
        await File.WriteAllTextAsync(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: sim, cluster: {server: "{{{bed.Sim.BaseUrl}}}"}}]
            users: [{name: plexus, user: {token: "{{{bed.Sim.Token}}}"}}]
            contexts: [{name: sim, context: {cluster: sim, user: plexus}}]
            current-context: sim
            """);
        // A runtime's environment names no bundle; /etc/ssl is empty, so the linked OpenSSL's own default finds nothing.
        const string BareNode = "unset SSL_CERT_FILE SSL_CERT_DIR; mount -t tmpfs tmpfs /etc/ssl || exit 97; ";

        // An Alpine-like node: its bundle, holding the cluster's CA, is /etc/ssl/cert.pem.
        AssertNadNotFound(bed, await AddPodAsync(bed, kubeconfig, OnChangedNode(BareNode + $"cat '{ca}' > /etc/ssl/cert.pem || exit 97; ")));
        // An operator's SSL_CERT_FILE wins over the distribution's bundles.
        AssertNadNotFound(bed, await AddPodAsync(bed, kubeconfig, OnChangedNode(BareNode + $"export SSL_CERT_FILE='{ca}'; ")));
        // With no bundle at all the same server is not trusted: the bundle is what made the difference.
        var untrusted = await AddPodAsync(bed, kubeconfig, OnChangedNode(BareNode));
        Assert.NotEqual(0, untrusted.ExitCode);
        var refused = (string)JsonNode.Parse(untrusted.Stdout)!["msg"]!;
        Assert.Contains("TLS handshake failed", refused);
        Assert.Contains("PartialChain", refused);
        Assert.Contains("certificate-authority", refused);
    }

    private static void SkipUnlessRunnable()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root for network and mount namespaces");
        Skip.IfNot(PublishedBinary.Plexus.Exists, PublishedBinary.Plexus.NotPublished);
    }

    /// <summary>An ADD of a new pod whose annotation names a NAD that does not exist, by the published plexus.</summary>
    private static async Task<AddOutcome> AddPodAsync(MetaPluginBed bed, string kubeconfig, string[] launcher)
    {
        var name = "p-" + Guid.NewGuid().ToString("N")[..6];
        bed.Sim.CreatePod(bed.Namespace, name, annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "ghost" });
        var podNs = await bed.Node.CreatePodAsync(None);
        // The plugin runs in this process's network namespace (the host's, where the simulator listens), and it runs
        // the cluster network while it reads the NAD: that network is a stub that touches no interface.
        bed.Node.WriteStubPlugin(TouchesNothing, """
            cat > /dev/null
            case "$CNI_COMMAND" in
              ADD) echo '{"cniVersion":"1.0.0"}' ;;
              VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}' ;;
            esac
            """);
        var config = bed.Config($$"""{"cniVersion":"1.0.0","name":"stub","type":"{{TouchesNothing}}"}""")
            .Replace(bed.Kubeconfig, kubeconfig, StringComparison.Ordinal)
            .Replace(CniTestNode.DebianPluginDir, bed.Node.StubBinDir, StringComparison.Ordinal);
        var (exit, stdout, stderr) = await PublishedBinary.Plexus.RunAsync(MetaPluginBed.Environment("ADD", MetaPluginBed.NewContainerId(), podNs, bed.Namespace, name),
            Encoding.UTF8.GetBytes(config), launcher: launcher);
        return new AddOutcome(name, exit, stdout, stderr);
    }

    private sealed record AddOutcome(string Pod, int ExitCode, byte[] Stdout, string Stderr);

    private static void AssertNadNotFound(MetaPluginBed bed, AddOutcome added)
    {
        Assert.True(added.ExitCode != 0, $"exit 0; stderr: {added.Stderr}");
        var error = JsonNode.Parse(added.Stdout) ?? throw new Xunit.Sdk.XunitException($"no CNI error on stdout; stderr: {added.Stderr}");
        Assert.True((int)error["code"]! == CniErrorCode.InvalidNetworkConfig, $"expected the NAD's 404 (code 7), got {error.ToJsonString()}");
        Assert.Contains($"cannot find a network-attachment-definition (ghost) in namespace ({bed.Namespace})", (string)error["msg"]!);
        Assert.Contains(bed.Sim.List("v1", "Event", bed.Namespace),
            e => (string?)e["reason"] == "NoNetworkFound" && (string?)e["involvedObject"]?["name"] == added.Pod);
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

    /// <summary>unshare + sh: <paramref name="setup"/> in a private mount namespace, then the command appended to it.</summary>
    private static string[] OnChangedNode(string setup) =>
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", setup + "exec \"$0\" \"$@\""];

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
