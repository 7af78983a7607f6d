using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.Kube.Tests;

// Through the whole kubeconfig path (read, context selection, plugin run): the plugin writes what it was given to a file.
public sealed class ExecInfoTests : IDisposable
{
    private const string Token = "s3cr3t-exec-info-token";

    private readonly string dir = Directory.CreateTempSubdirectory("plexus-exec-info-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Dump => Path.Combine(dir, "exec-info");

    private string KubeconfigPath => Path.Combine(dir, "kubeconfig");

    [Theory]
    [InlineData("client.authentication.k8s.io/v1", "")]
    [InlineData("client.authentication.k8s.io/v1beta1", "")]
    [InlineData("client.authentication.k8s.io/v1", "provideClusterInfo: false")]
    [InlineData("client.authentication.k8s.io/v1", "interactiveMode: Never")]
    [InlineData("client.authentication.k8s.io/v1", "interactiveMode: IfAvailable")]
    public void Configure_WithoutClusterInfo_PluginGetsItsApiVersionAndNotInteractive(string apiVersion, string execLine)
    {
        Plugin(apiVersion);
        File.WriteAllText(KubeconfigPath, Kubeconfig("insecure-skip-tls-verify: true", apiVersion, execLine));

        var config = KubeConnection.Configure(KubeconfigPath, _ => null, dir);

        Assert.Equal(Token, config!.Client.AccessToken);
        Assert.Equal($$$"""{"kind":"ExecCredential","apiVersion":"{{{apiVersion}}}","spec":{"interactive":false}}""", File.ReadAllText(Dump));
    }

    [Fact]
    public void Configure_ProvideClusterInfo_PluginGetsEveryClusterFieldAndTheExecExtension()
    {
        var (ca, _) = TestCertificates.SelfSignedPem();
        Plugin();
        File.WriteAllText(KubeconfigPath, Kubeconfig($$"""
            certificate-authority-data: {{Base64(ca)}}
                tls-server-name: api.internal
                insecure-skip-tls-verify: true
                proxy-url: http://proxy.internal:3128
                disable-compression: true
                extensions:
                - name: other
                  extension: {"not": "this one"}
                - name: client.authentication.k8s.io/exec
                  extension:
                    audience: "06e3fbd18de8"
                    scopes: [read, write]
                    retries: 3
                    debug: false
            """, execLine: "provideClusterInfo: true"));

        KubeConnection.Configure(KubeconfigPath, _ => null, dir);

        Assert.Equal(
            $$$"""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://127.0.0.1:6443","tls-server-name":"api.internal","insecure-skip-tls-verify":true,"certificate-authority-data":"{{{Base64(ca)}}}","proxy-url":"http://proxy.internal:3128","disable-compression":true,"config":{"audience":"06e3fbd18de8","scopes":["read","write"],"retries":3,"debug":false}},"interactive":false}}""",
            File.ReadAllText(Dump));
    }

    // client-go hands the CA over as bytes even when the kubeconfig names a file; relative to the kubeconfig's directory.
    [Fact]
    public void Configure_ProvideClusterInfoWithCaFile_PluginGetsTheFilesBytesAsData()
    {
        var (ca, _) = TestCertificates.SelfSignedPem();
        File.WriteAllText(Path.Combine(dir, "ca.crt"), ca);
        Plugin();
        File.WriteAllText(KubeconfigPath, Kubeconfig("certificate-authority: ca.crt", execLine: "provideClusterInfo: true"));

        KubeConnection.Configure(KubeconfigPath, _ => null, dir);

        Assert.Equal(
            $$$"""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://127.0.0.1:6443","certificate-authority-data":"{{{Base64(ca)}}}"},"interactive":false}}""",
            File.ReadAllText(Dump));
    }

    [Fact]
    public void Configure_ProvideClusterInfoWithoutTheExecExtension_NoConfig()
    {
        Plugin();
        File.WriteAllText(KubeconfigPath, Kubeconfig("insecure-skip-tls-verify: true\n    extensions: [{name: other, extension: {a: 1}}]",
            execLine: "provideClusterInfo: true"));

        KubeConnection.Configure(KubeconfigPath, _ => null, dir);

        Assert.Equal(
            """{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://127.0.0.1:6443","insecure-skip-tls-verify":true},"interactive":false}}""",
            File.ReadAllText(Dump));
    }

    // Each is refused before the plugin runs ({0}: the kubeconfig's directory). interactiveMode as client-go refuses it
    // without a terminal ("exec plugin cannot support interactive mode: standard input is not a terminal"); half a
    // surrogate pair, which no JSON writer takes, never reaches the exec info: the YAML parser refuses the escape.
    [Theory]
    [InlineData("interactiveMode: Always", "insecure-skip-tls-verify: true",
        "the exec credential plugin of user \"u\" has interactiveMode Always, which needs a terminal on standard input; a CNI plugin has none", "interactiveMode: Never")]
    [InlineData("interactiveMode: always", "insecure-skip-tls-verify: true",
        "the exec credential plugin of user \"u\" has an interactiveMode that is none of Never, IfAvailable and Always", "interactiveMode: Never")]
    [InlineData("interactiveMode: ''", "insecure-skip-tls-verify: true",
        "the exec credential plugin of user \"u\" has an interactiveMode that is none of Never, IfAvailable and Always", "interactiveMode: Never")]
    [InlineData("", "certificate-authority: missing.crt",
        "the cluster's certificate-authority {0}/missing.crt, which its exec credential plugin is given (provideClusterInfo), cannot be read", "certificate-authority(-data)")]
    [InlineData("", "certificate-authority: \"a\\0b.crt\"",
        "the cluster's certificate-authority a\\0b.crt, which its exec credential plugin is given (provideClusterInfo), cannot be read: Null character in path", "certificate-authority(-data)")]
    [InlineData("", "certificate-authority-data: '%%%'",
        "the cluster's certificate-authority-data, which its exec credential plugin is given (provideClusterInfo), is not valid base64", "certificate-authority(-data)")]
    [InlineData("", "extensions: [{name: client.authentication.k8s.io/exec, extension: {a: \"\\ud800\"}}]", "it is not valid YAML", "\"kubeconfig\"")]
    [InlineData("", "extensions: [{name: client.authentication.k8s.io/exec, extension: {\"\\ud800\": 1}}]", "it is not valid YAML", "\"kubeconfig\"")]
    [InlineData("", "tls-server-name: \"\\ud800\"", "it is not valid YAML", "\"kubeconfig\"")]
    public void Configure_ExecSetupThatCannotBeMet_RefusedNamingFileAndWhatBeforeThePluginRuns(string execLine, string clusterLine, string expected, string remedy)
    {
        Plugin();
        File.WriteAllText(KubeconfigPath, Kubeconfig(clusterLine, execLine: execLine + "\n      provideClusterInfo: true"));

        var error = Assert.Throws<CniException>(() => KubeConnection.Configure(KubeconfigPath, _ => null, dir));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.StartsWith($"cannot load kubeconfig {KubeconfigPath}: {string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, dir)}", error.Message);
        Assert.Contains(remedy, error.Details);
        Assert.False(File.Exists(Dump), "the plugin is not run");
    }

    // The exec info can carry what an operator put in the extension; a failing plugin's error and details never show it.
    [Fact]
    public void Configure_PluginFailsAfterReadingTheExecInfo_ErrorHasNoneOfIt()
    {
        File.WriteAllText(Path.Combine(dir, "plugin.sh"), $"#!/bin/sh\nprintf '%s' \"$KUBERNETES_EXEC_INFO\" > {Dump}\necho \"$KUBERNETES_EXEC_INFO\"; echo \"$KUBERNETES_EXEC_INFO\" >&2; exit 3\n");
        File.SetUnixFileMode(Path.Combine(dir, "plugin.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(KubeconfigPath, Kubeconfig(
            "insecure-skip-tls-verify: true\n    extensions: [{name: client.authentication.k8s.io/exec, extension: {audience: s3cr3t-audience}}]",
            execLine: "provideClusterInfo: true"));

        var error = Assert.Throws<CniException>(() => KubeConnection.Configure(KubeconfigPath, _ => null, dir));

        Assert.Contains("s3cr3t-audience", File.ReadAllText(Dump));
        Assert.Contains("failed with exit code 3", error.Message);
        Assert.DoesNotContain("s3cr3t-audience", error + error.Details);
        Assert.DoesNotContain("ExecCredential\"", error + error.Details);
    }

    private void Plugin(string apiVersion = "client.authentication.k8s.io/v1")
    {
        var script = Path.Combine(dir, "plugin.sh");
        File.WriteAllText(script, $$$"""
            #!/bin/sh
            printf '%s' "$KUBERNETES_EXEC_INFO" > {{{Dump}}}
            echo '{"kind":"ExecCredential","apiVersion":"{{{apiVersion}}}","status":{"token":"{{{Token}}}"}}'

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Kubeconfig(string clusterLines, string apiVersion = "client.authentication.k8s.io/v1", string execLine = "") =>
        KubeConnectionTests.Kubeconfig(clusterLines, $"exec:\n      apiVersion: {apiVersion}\n      command: ./plugin.sh\n      {execLine}");
}
