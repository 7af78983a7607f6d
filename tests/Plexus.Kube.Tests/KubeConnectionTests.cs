using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.Kube.Tests;

public sealed class KubeConnectionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-kube-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        key => vars.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void TryCreate_NoKubeconfigNoInClusterEnv_NoKubernetes()
    {
        Assert.Null(KubeConnection.TryCreate(null, Env(), TimeProvider.System, dir));
        Assert.Null(KubeConnection.TryCreate("", Env(), TimeProvider.System, dir));
    }

    [Fact]
    public void TryCreate_InClusterEnvWithoutToken_RefusedNamingTheTokenPath()
    {
        var error = Assert.Throws<CniException>(() =>
            KubeConnection.TryCreate(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBERNETES_SERVICE_PORT", "443")), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(Path.Combine(dir, "token"), error.Message);
        Assert.Contains("kubeconfig", error.Details);
    }

    [Theory]
    [InlineData("10.0.0.1", null)]
    [InlineData(null, "443")]
    public void TryCreate_InClusterEnvIncomplete_NoKubernetes(string? host, string? port)
    {
        Assert.Null(KubeConnection.TryCreate(null, key => key switch
        {
            "KUBERNETES_SERVICE_HOST" => host,
            "KUBERNETES_SERVICE_PORT" => port,
            _ => null,
        }, TimeProvider.System, dir));
    }

    [Fact]
    public void TryCreate_InClusterEnvAndToken_Ports()
    {
        File.WriteAllText(Path.Combine(dir, "token"), "abc\n");

        var ports = KubeConnection.TryCreate(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBERNETES_SERVICE_PORT", "443")), TimeProvider.System, dir);

        Assert.NotNull(ports);
    }

    [Fact]
    public void TryCreate_InClusterBadPort_InvalidConfig()
    {
        File.WriteAllText(Path.Combine(dir, "token"), "abc");

        var error = Assert.Throws<CniException>(() =>
            KubeConnection.TryCreate(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBERNETES_SERVICE_PORT", "https")), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(dir, error.Message);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("bad-ca-data")]
    [InlineData("bad-base64")]
    [InlineData("unnamed-context")]
    public void TryCreate_BadKubeconfig_InvalidConfigNamingFile(string kind)
    {
        var path = Path.Combine(dir, "kubeconfig");
        if (BadKubeconfigs.TryGetValue(kind, out var text))
        {
            File.WriteAllText(path, text);
        }

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain(Secret, error.Message + error.Details);
    }

    // Every shape of a kubeconfig or exec plugin failure that once echoed the file's or the plugin's text.
    [Theory]
    [InlineData("yaml-alias", "no &anchor of that name is defined; quote such values")]
    [InlineData("yaml-unclosed-quote", "not valid YAML (line 11, column 12)")]
    [InlineData("yaml-tab", "not valid YAML")]
    [InlineData("yaml-duplicate-key", "not valid YAML")]
    [InlineData("bad-base64", "cannot load kubeconfig")]
    [InlineData("exec-prints-token-line", "printed something that is not an ExecCredential of client.authentication.k8s.io/v1")]
    [InlineData("exec-misspelled-token", "printed something that is not an ExecCredential")]
    [InlineData("exec-other-api-version", "printed something that is not an ExecCredential")]
    [InlineData("exec-fails-with-token-on-stderr", "failed with exit code 3")]
    [InlineData("exec-fails-echoing-its-exec-info", "failed with exit code 4")]
    [InlineData("exec-repeated-token-key", "printed something that is not an ExecCredential")]
    [InlineData("exec-bad-expiry", "printed something that is not an ExecCredential")]
    [InlineData("exec-missing-command", "cannot be started")]
    [InlineData("exec-env-without-value", "\"env\" needs \"name\" and \"value\"")]
    [InlineData("proxy-url-without-scheme", "the proxy-url of cluster \"c\" has no scheme: it must start with http://, https:// or socks5://")]
    [InlineData("proxy-url-socks5h", "the proxy-url of cluster \"c\" has the unsupported scheme \"socks5h\": it must be http, https or socks5")]
    [InlineData("proxy-url-bad-port", "the proxy-url of cluster \"c\" is not a valid URL")]
    [InlineData("proxy-url-socks5-password-too-long", "the proxy-url of cluster \"c\" has a user or password longer than the 255 bytes SOCKS5 carries (RFC 1929)")]
    [InlineData("proxy-url-socks5-empty-user", "the proxy-url of cluster \"c\" has user-info with an empty user name, which SOCKS5 cannot authenticate")]
    public void TryCreate_KubeconfigFailureAroundAToken_SummaryWithoutTheTokenOrLibraryText(string kind, string expected)
    {
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, LeakyKubeconfig(kind));

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"cannot load kubeconfig {path}: ", error.Message);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
        // ToString: message, details' carrier and every inner exception with its stack, as any logger would print them.
        Assert.DoesNotContain(Secret, error + error.Details);
        Assert.DoesNotContain("   at ", error.Message);
        Assert.Null(error.InnerException);
    }

    // The whole thin ADD as the runtime sees it: error JSON on stdout, stderr and the log file.
    [Theory]
    [InlineData("yaml-alias")]
    [InlineData("exec-prints-token-line")]
    [InlineData("exec-fails-with-token-on-stderr")]
    [InlineData("exec-fails-echoing-its-exec-info")]
    [InlineData("proxy-url-socks5h")]
    [InlineData("proxy-url-socks5-empty-user")]
    public async Task Add_KubeconfigFailureAroundAToken_TokenInNoOutputOfThePlugin(string kind)
    {
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, LeakyKubeconfig(kind));
        var log = Path.Combine(dir, "plexus.log");
        var config = $$"""
            {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","kubeconfig":"{{path}}","logFile":"{{log}}","logLevel":"debug",
             "cniDir":"{{dir}}","binDir":"{{RecordingPluginExecutor.BinDir}}","delegates":[{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}]}
            """;
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c1", ["CNI_NETNS"] = "/ns", ["CNI_IFNAME"] = "eth0", ["CNI_PATH"] = "/nonexistent",
            ["CNI_ARGS"] = "K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=p1;K8S_POD_UID=u1",
        };
        var plugin = new Core.Service.MetaPlugin(new Core.Service.MetaPluginHost
        {
            Executor = new RecordingPluginExecutor().WithPlugin("bridge"),
            ConnectKubernetes = kubeconfig => KubeConnection.TryCreate(kubeconfig, Env(), TimeProvider.System, dir, sendOnCallingThread: true),
            Log = new StringWriter(),
        });
        using var stdout = new MemoryStream();
        var stderr = new StringWriter();

        var exit = await Plexus.Cni.Skel.PluginDispatcher.RunAsync(env, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(config)), stdout, stderr, plugin, CancellationToken.None);

        var answer = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
        Assert.NotEqual(0, exit);
        Assert.Contains("\"code\":7", answer);
        Assert.Contains("cannot load kubeconfig", answer);
        Assert.Contains("cannot load kubeconfig", File.ReadAllText(log));
        Assert.DoesNotContain(Secret, answer + stderr + File.ReadAllText(log));
    }

    // The client library's own errors quote the server URL, user:password included.
    [Theory]
    [InlineData("https://admin:hunter2secret@[fe80::1")]
    [InlineData("admin:hunter2secret@127.0.0.1:6443")]
    [InlineData("//admin:hunter2secret@127.0.0.1:6443")]
    [InlineData("https://admin:hunter2secret@127.0.0.1:notaport")]
    [InlineData("ftp://admin:hunter2secret@127.0.0.1")]
    public void TryCreate_BadServerUrlWithPassword_NamesTheFieldNotTheUrl(string server)
    {
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true").Replace("https://127.0.0.1:6443", $"'{server}'", StringComparison.Ordinal));

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal($"cannot load kubeconfig {path}: the server of cluster \"c\" is not an absolute https:// or http:// URL", error.Message);
        Assert.DoesNotContain("hunter2secret", error.ToString() + error.Details);
    }

    [Fact]
    public void TryCreate_KubeconfigIsADirectory_SaysSo()
    {
        var path = Directory.CreateDirectory(Path.Combine(dir, "kubeconfig")).FullName;

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal($"cannot load kubeconfig {path}: it is a directory, not a file", error.Message);
    }

    [Fact]
    public void Configure_ExecPluginRelativeToKubeconfig_ItsTokenWithArgsAndEnvPassed()
    {
        ExecPlugin("plugin.sh", """echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"'"$1-$PART"'"}}'""");
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true",
            "exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh, args: [first], env: [{name: PART, value: second}]}"));

        var config = KubeConnection.Configure(path, Env(), dir);

        Assert.Equal("first-second", config!.Client.AccessToken);
    }

    [Fact]
    public void TryCreate_ExecCredentialWithExpiry_PortsSayWhenItStopsWorking()
    {
        ExecPlugin("plugin.sh", """echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":"2026-11-27T17:04:05Z"}}'""");
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true", "exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh}"));

        var ports = KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir);
        using var raw = KubeRawApi.TryCreate(path, Env(), dir);

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 17, 4, 5, TimeSpan.Zero), ports!.CredentialExpiry);
        Assert.Equal(ports.CredentialExpiry, raw!.CredentialExpiry);
    }

    [Fact]
    public void Configure_ExecPlugin_ItsStderrGoesToAPipeNotToPlexusStderr()
    {
        ExecPlugin("plugin.sh", """echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"'"$(readlink /proc/self/fd/2)"'"}}'""");
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true", "exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh}"));

        Assert.StartsWith("pipe:", KubeConnection.Configure(path, Env(), dir)!.Client.AccessToken);
    }

    private void ExecPlugin(string name, string body)
    {
        var script = Path.Combine(dir, name);
        File.WriteAllText(script, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string LeakyKubeconfig(string kind)
    {
        var exec = $"exec: {{apiVersion: client.authentication.k8s.io/v1, command: {Path.Combine(dir, "plugin.sh")}}}";
        var credential = $$$"""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"{{{Secret}}}"}}""";
        switch (kind)
        {
            case "exec-prints-token-line": ExecPlugin("plugin.sh", $"echo token={Secret}"); break;
            case "exec-misspelled-token": ExecPlugin("plugin.sh", $"echo '{credential.Replace("\"token\"", "\"tokn\"", StringComparison.Ordinal)}'"); break;
            case "exec-other-api-version": ExecPlugin("plugin.sh", $"echo '{credential.Replace("/v1", "/v1beta1", StringComparison.Ordinal)}'"); break;
            case "exec-repeated-token-key": ExecPlugin("plugin.sh", $"echo '{credential.Replace("\"token\"", "\"token\":\"a\",\"token\"", StringComparison.Ordinal)}'"); break;
            case "exec-bad-expiry": ExecPlugin("plugin.sh", $"echo '{credential.Replace("}}", ",\"expirationTimestamp\":\"soon\"}}", StringComparison.Ordinal)}'"); break;
            case "exec-fails-with-token-on-stderr": ExecPlugin("plugin.sh", $"echo 'oops token={Secret}' >&2; echo '{credential}'; exit 3"); break;
            case "exec-fails-echoing-its-exec-info": ExecPlugin("plugin.sh", "echo \"$KUBERNETES_EXEC_INFO\"; echo \"$KUBERNETES_EXEC_INFO\" >&2; exit 4"); break;
        }
        return kind switch
        {
            "yaml-alias" => Kubeconfig("insecure-skip-tls-verify: true", $"token: *{Secret}"),
            "yaml-unclosed-quote" => Kubeconfig("insecure-skip-tls-verify: true", $"token: \"{Secret}"),
            "yaml-tab" => Kubeconfig("insecure-skip-tls-verify: true").Replace($"    token: {Secret}", $"\ttoken: {Secret}", StringComparison.Ordinal),
            "yaml-duplicate-key" => Kubeconfig("insecure-skip-tls-verify: true", $"token: {Secret}\n    token: {Secret}"),
            "bad-base64" => BadKubeconfigs["bad-base64"],
            "exec-missing-command" => Kubeconfig("insecure-skip-tls-verify: true", $"exec: {{apiVersion: client.authentication.k8s.io/v1, command: ./absent, args: [{Secret}]}}"),
            // The extension is no place for a secret (client-go's advice), but one there must not leak either.
            "exec-fails-echoing-its-exec-info" => Kubeconfig($"insecure-skip-tls-verify: true\n    extensions: [{{name: client.authentication.k8s.io/exec, extension: {{key: {Secret}}}}}]",
                exec.Replace("}", ", provideClusterInfo: true}", StringComparison.Ordinal)),
            // The password in the URL is the secret here.
            "proxy-url-without-scheme" => Kubeconfig($"insecure-skip-tls-verify: true\n    proxy-url: 'admin:{Secret}@proxy.corp:3128'"),
            "proxy-url-socks5h" => Kubeconfig($"insecure-skip-tls-verify: true\n    proxy-url: 'socks5h://admin:{Secret}@proxy.corp:1080'"),
            "proxy-url-bad-port" => Kubeconfig($"insecure-skip-tls-verify: true\n    proxy-url: 'http://admin:{Secret}@proxy.corp:31280000'"),
            "proxy-url-socks5-empty-user" => Kubeconfig($"insecure-skip-tls-verify: true\n    proxy-url: 'socks5://:{Secret}@proxy.corp:1080'"),
            "proxy-url-socks5-password-too-long" => Kubeconfig($"insecure-skip-tls-verify: true\n    proxy-url: 'socks5://admin:{Secret}{new string('x', 256)}@proxy.corp:1080'"),
            "exec-env-without-value" => Kubeconfig("insecure-skip-tls-verify: true", $"exec: {{apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh, env: [{{name: {Secret}}}]}}"),
            _ => Kubeconfig("insecure-skip-tls-verify: true", exec),
        };
    }

    // As client-go's ConfirmUsable: only the current context's cluster is checked, before any credential is asked for.
    [Fact]
    public void Configure_BadProxyUrl_RefusedBeforeTheExecPluginRuns()
    {
        var ran = Path.Combine(dir, "plugin-ran");
        ExecPlugin("plugin.sh", $$$"""touch {{{ran}}}; echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t"}}'""");
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true\n    proxy-url: ftp://proxy.corp", "exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh}"));

        var error = Assert.Throws<CniException>(() => KubeConnection.Configure(path, Env(), dir));

        Assert.Equal($"cannot load kubeconfig {path}: the proxy-url of cluster \"c\" has the unsupported scheme \"ftp\": it must be http, https or socks5, as client-go accepts",
            error.Message);
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public void Configure_BadProxyUrlOfAnotherCluster_Ignored()
    {
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true").Replace("clusters:\n",
            "clusters:\n- name: other\n  cluster: {server: 'https://10.0.0.1', proxy-url: 'ftp://proxy.corp'}\n", StringComparison.Ordinal));

        var settings = KubeConnection.Configure(path, Env(), dir);

        Assert.Null(settings!.Proxy);
    }

    [Fact]
    public void Configure_ProxyUrl_SettingsCarryIt()
    {
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true\n    proxy-url: socks5://127.0.0.1:1081"));

        var proxy = KubeConnection.Configure(path, Env(), dir)!.Proxy!;

        Assert.Equal("socks5://127.0.0.1:1081", proxy.Display);
        Assert.Equal($"proxy-url of cluster \"c\" in kubeconfig {path}", proxy.Origin);
    }

    [Fact]
    public void TryCreate_ClientCertificateAndKey_Ports()
    {
        var (certificate, key) = TestCertificates.SelfSignedPem();
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true", ClientCredentials(certificate, key)));

        Assert.NotNull(KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));
    }

    [Fact]
    public void TryCreate_ClientKeyNotMatchingCertificate_InvalidConfigNamingFile()
    {
        var (certificate, _) = TestCertificates.SelfSignedPem();
        var (_, otherKey) = TestCertificates.SelfSignedPem();
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, Kubeconfig("insecure-skip-tls-verify: true", ClientCredentials(certificate, otherKey)));

        var error = Assert.Throws<CniException>(() => KubeConnection.TryCreate(path, Env(), TimeProvider.System, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("client certificate", error.Message);
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain("PRIVATE KEY", error.Message + error.Details);
    }

    private static string ClientCredentials(string certificatePem, string keyPem) =>
        $"client-certificate-data: {Base64(certificatePem)}\n    client-key-data: {Base64(keyPem)}";

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private const string Secret = "s3cr3t-token-value";

    // Found by the kubeconfig fuzz target: each made the client's loader throw something other than KubeConfigException.
    private static readonly Dictionary<string, string> BadKubeconfigs = new()
    {
        ["garbage"] = "apiVersion: v1\nclusters: [[[",
        ["bad-ca-data"] = Kubeconfig("certificate-authority-data: bm90IGEgY2VydA=="),
        ["bad-base64"] = Kubeconfig("certificate-authority-data: '%%%'"),
        ["unnamed-context"] = Kubeconfig("insecure-skip-tls-verify: true").Replace("- name: x\n  context", "- context", StringComparison.Ordinal),
    };

    /// <summary>Cluster "c" at https://127.0.0.1:6443 and user "u" of the current context; lines after the first indented by 4.</summary>
    internal static string Kubeconfig(string clusterLine, string? userLines = null) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:6443
            {{clusterLine}}
        users:
        - name: u
          user:
            {{userLines ?? $"token: {Secret}"}}
        contexts:
        - name: x
          context: {cluster: c, user: u}
        current-context: x
        """;
}
