using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Exceptions;
using YamlDotNet.Core;

namespace Plexus.Kube.Tests;

public sealed class KubeconfigReaderTests
{
    private const string EveryField = """
        apiVersion: v1
        kind: Config
        current-context: ops
        preferences: {}
        clusters:
        - name: prod
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: Q0EgREFUQQ==
            certificate-authority: /etc/kubernetes/pki/ca.crt
            tls-server-name: api.internal
            insecure-skip-tls-verify: false
            proxy-url: http://proxy:3128
            extensions: [{name: x, extension: {a: 1}}]
        - name: lab
          cluster: {server: "https://[fd00::1]:6443", insecure-skip-tls-verify: true}
        users:
        - name: admin
          user:
            client-certificate-data: Q0VSVA==
            client-key-data: S0VZ
            client-certificate: certs/admin.crt
            client-key: certs/admin.key
            token: "abc.def"
            as: jane
            as-groups: [dev, ops]
            as-user-extra: {reason: audit}
            username: jane
            password: 's3cr3t: "x"'
        - name: oidc
          user:
            auth-provider:
              name: oidc
              config: {client-id: plexus, idp-issuer-url: "https://idp"}
        - name: exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: /usr/bin/aws
              args: [eks, get-token, --cluster-name, c1]
              env: [{name: AWS_PROFILE, value: ops}]
              installHint: install the aws cli
              provideClusterInfo: true
        contexts:
        - name: ops
          context: {cluster: prod, user: admin, namespace: kube-system}
        - name: bare
          context:
            cluster: lab
            user: exec
        """;

    public static TheoryData<string, string> Kubeconfigs => new()
    {
        { "every field", EveryField },
        {
            "JSON, as a generated kubeconfig may be written",
            """
            {"apiVersion":"v1","kind":"Config","current-context":"c",
             "clusters":[{"name":"k","cluster":{"server":"https://127.0.0.1:6443","certificate-authority-data":"Q0E="}}],
             "users":[{"name":"u","user":{"token":"t0k3n"}}],
             "contexts":[{"name":"c","context":{"cluster":"k","user":"u"}}]}
            """
        },
        {
            "anchors, aliases and merge keys",
            """
            clusters:
            - name: a
              cluster: &base {server: "https://10.0.0.1:6443", certificate-authority-data: Q0E=}
            - name: b
              cluster:
                <<: *base
                tls-server-name: b.internal
            users: [{name: u, user: {token: &t shared}}, {name: v, user: {token: *t}}]
            """
        },
        {
            "nulls: plain null, tilde and empty; quoted null is a string",
            """
            current-context: ~
            clusters:
            - name: a
              cluster:
                server: null
                certificate-authority-data:
                tls-server-name: "null"
            users:
            contexts: null
            """
        },
        { "booleans spelled every way the loader accepts", "clusters: [{name: a, cluster: {insecure-skip-tls-verify: True}}, {name: b, cluster: {insecure-skip-tls-verify: yes}}, {name: c, cluster: {insecure-skip-tls-verify: off}}]" },
        { "a document marker and comments", "---\n# generated\nclusters: # none yet\n- {name: a, cluster: {server: 'https://h:1'}}\n" },
    };

    [Theory]
    [MemberData(nameof(Kubeconfigs))]
    public void Read_SameModelAsTheClientLibrarysLoader(string what, string kubeconfig)
    {
        var expected = KubernetesClientConfiguration.LoadKubeConfig(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig)));

        var actual = KubeconfigReader.Read(kubeconfig);

        var (wanted, got) = (Canonical(expected), Canonical(actual));
        Assert.True(wanted == got, $"{what}: the loader read\n{wanted}\nthe reader read\n{got}");
    }

    // Every public property, recursively (the test runs on the JIT, where reflection-based JSON is fine).
    private static string Canonical(object config) => JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true });

    [Fact]
    public void Read_EveryField_Mapped()
    {
        var config = KubeconfigReader.Read(EveryField);

        var prod = config.Clusters.First().ClusterEndpoint;
        var admin = config.Users.First().UserCredentials;
        var exec = config.Users.Last().UserCredentials.ExternalExecution;
        Assert.Equal(("https://10.0.0.1:6443", "Q0EgREFUQQ==", "/etc/kubernetes/pki/ca.crt", "api.internal", false),
            (prod.Server, prod.CertificateAuthorityData, prod.CertificateAuthority, prod.TlsServerName, prod.SkipTlsVerify));
        Assert.True(config.Clusters.Last().ClusterEndpoint.SkipTlsVerify);
        Assert.Equal(("abc.def", "jane", "s3cr3t: \"x\"", "certs/admin.key"), (admin.Token, admin.Impersonate, admin.Password, admin.ClientKey));
        Assert.Equal(["dev", "ops"], admin.ImpersonateGroups);
        Assert.Equal("audit", admin.ImpersonateUserExtra["reason"]);
        Assert.Equal("https://idp", config.Users.ElementAt(1).UserCredentials.AuthProvider.Config["idp-issuer-url"]);
        Assert.Equal(("/usr/bin/aws", "c1", "ops", true), (exec.Command, exec.Arguments[3], exec.EnvironmentVariables[0]["value"], exec.ProvideClusterInfo));
        Assert.Equal(("ops", "kube-system"), (config.CurrentContext, config.Contexts.First().ContextDetails.Namespace));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("# only a comment\n", "empty")]
    [InlineData("[a, b]", "the kubeconfig must be a map")]
    [InlineData("just text", "the kubeconfig must be a map")]
    [InlineData("clusters: {name: a}", "\"clusters\" must be a list")]
    [InlineData("clusters: [a]", "an item of \"clusters\" must be a map")]
    [InlineData("clusters: [~]", "an item of \"clusters\" is empty")]
    [InlineData("clusters: [{name: a, cluster: [x]}]", "\"cluster\" must be a map")]
    [InlineData("clusters: [{name: [a]}]", "\"name\" must be a string")]
    [InlineData("clusters: [{name: a, cluster: {insecure-skip-tls-verify: maybe}}]", "\"insecure-skip-tls-verify\" must be true or false")]
    [InlineData("users: [{name: u, user: {as-groups: dev}}]", "\"as-groups\" must be a list of strings")]
    [InlineData("users: [{name: u, user: {as-groups: [[dev]]}}]", "the items of \"as-groups\" must be strings")]
    [InlineData("users: [{name: u, user: {exec: {env: [{name: A, value: [1]}]}}}]", "the value of \"value\" must be a string")]
    public void Read_Malformed_KubeConfigExceptionSayingWhat(string kubeconfig, string expected)
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeconfigReader.Read(kubeconfig));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("clusters: [{name: a}]\nclusters: []")]
    [InlineData("clusters: [{name: a, name: b}]")]
    [InlineData("clusters: [{name: a")]
    [InlineData("a: *undefined")]
    public void Read_BrokenYaml_YamlException(string kubeconfig)
    {
        Assert.ThrowsAny<YamlException>(() => KubeconfigReader.Read(kubeconfig));
    }

    [Fact]
    public void Read_ExecClusterFields_KeptBesideTheLibrarysModel()
    {
        var config = KubeconfigReader.Read("""
            clusters:
            - name: c
              cluster:
                server: https://h:1
                proxy-url: socks5://proxy:1080
                disable-compression: true
                extensions:
                - {name: client.authentication.k8s.io/exec, extension: {audience: first}}
                - {name: other, extension: {audience: other}}
                - {name: client.authentication.k8s.io/exec, extension: {audience: last}}
            users: [{name: u, user: {exec: {command: p, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}}}]
            """);

        var cluster = Assert.IsType<KubeconfigClusterEndpoint>(config.Clusters.Single().ClusterEndpoint);
        Assert.Equal(("socks5://proxy:1080", true), (cluster.ProxyUrl, cluster.DisableCompression));
        // Of repeated names the last counts, as client-go's conversion of the list into a map keeps it.
        Assert.Equal("""{"audience":"last"}""", Encoding.UTF8.GetString(cluster.ExecExtensionJson!));
        Assert.Equal("Never", Assert.IsType<KubeconfigExec>(config.Users.Single().UserCredentials.ExternalExecution).InteractiveMode);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{name: other, extension: {a: 1}}]")]
    [InlineData("[{name: client.authentication.k8s.io/exec}]")]
    [InlineData("[{name: client.authentication.k8s.io/exec, extension: ~}]")]
    public void Read_NoExecExtension_NoJson(string extensions)
    {
        var config = KubeconfigReader.Read($"clusters: [{{name: c, cluster: {{server: 'https://h:1', extensions: {extensions}}}}}]");

        Assert.Null(Assert.IsType<KubeconfigClusterEndpoint>(config.Clusters.Single().ClusterEndpoint).ExecExtensionJson);
    }

    // Plain scalars as YAML 1.1 (client-go's YAML library) resolves them; quoted ones are always strings.
    [Theory]
    [InlineData("text", "\"text\"")]
    [InlineData("'yes'", "\"yes\"")]
    [InlineData("\"0x1F\"", "\"0x1F\"")]
    [InlineData("yes", "true")]
    [InlineData("Off", "false")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("42", "42")]
    [InlineData("-42", "-42")]
    [InlineData("+7", "7")]
    [InlineData("1_000", "1000")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("017", "15")]
    [InlineData("0b101", "5")]
    [InlineData("-0x10", "-16")]
    [InlineData("09", "9")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("1.5", "1.5")]
    [InlineData("1e3", "1000")]
    [InlineData(".5", "0.5")]
    [InlineData("1e999", "\"1e999\"")]
    [InlineData(".inf", "\".inf\"")]
    [InlineData("0x", "\"0x\"")]
    [InlineData("1.2.3", "\"1.2.3\"")]
    [InlineData("2001-12-14", "\"2001-12-14\"")]
    [InlineData("[1, a, {b: [true]}]", "[1,\"a\",{\"b\":[true]}]")]
    [InlineData("{a: }", "{\"a\":null}")]
    [InlineData("\"<&>\"", "\"<&>\"")]
    public void Read_ExecExtensionValue_AsJsonTheWayClientGoConvertsIt(string yaml, string json)
    {
        var config = KubeconfigReader.Read($"clusters: [{{name: c, cluster: {{extensions: [{{name: client.authentication.k8s.io/exec, extension: {{v: {yaml}}}}}]}}}}]");

        Assert.Equal($$"""{"v":{{json}}}""", Encoding.UTF8.GetString(((KubeconfigClusterEndpoint)config.Clusters.Single().ClusterEndpoint).ExecExtensionJson!));
    }

    [Theory]
    [InlineData("{[a]: 1}", "a map key must be a string")]
    [InlineData("{\"a\": 1}", null)]
    public void Read_ExecExtensionWithNonStringKey_Refused(string yaml, string? expected)
    {
        var read = () => KubeconfigReader.Read($"clusters: [{{name: c, cluster: {{extensions: [{{name: client.authentication.k8s.io/exec, extension: {yaml}}}]}}}}]");

        if (expected is null)
        {
            read();
        }
        else
        {
            Assert.Contains(expected, Assert.Throws<KubeConfigException>(read).Message);
        }
    }

    // Aliases expand: a few lines can stand for gigabytes. The limit is what an environment string can carry anyway.
    [Fact]
    public void Read_ExecExtensionExpandingBeyondWhatAnEnvironmentCarries_RefusedWithoutItsContent()
    {
        var yaml = new StringBuilder("a0: &a0 [s3cr3t-alias-bomb, s3cr3t-alias-bomb, s3cr3t-alias-bomb, s3cr3t-alias-bomb]\n");
        for (var i = 1; i < 12; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }
        yaml.Append("clusters: [{name: c, cluster: {extensions: [{name: client.authentication.k8s.io/exec, extension: *a11}]}}]\n");

        var error = Assert.Throws<KubeConfigException>(() => KubeconfigReader.Read(yaml.ToString()));

        Assert.Contains("extension is larger than 128 KiB as JSON", error.Message);
        Assert.DoesNotContain("s3cr3t", error.Message);
    }
}
