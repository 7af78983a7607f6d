using System.Text.Json.Nodes;
using System.Text;
using Plexus.Cni;
using Plexus.Core.Config;

namespace Plexus.Core.Tests.Config;

public sealed class MetaConfigParserTests
{
    private static MetaConfig Parse(string json) => MetaConfigParser.Parse(Encoding.UTF8.GetBytes(json));

    private static CniException ParseError(string json) => Assert.Throws<CniException>(() => Parse(json));

    [Fact]
    public void Parse_MinimalDelegates_AppliesMultusDefaults()
    {
        var config = Parse("""{"cniVersion":"1.0.0","name":"multus","type":"plexus","delegates":[{"type":"bridge"}]}""");

        Assert.Equal("/etc/cni/multus/net.d", config.ConfDir);
        Assert.Equal("/var/lib/cni/multus", config.CniDir);
        Assert.Equal("/opt/cni/bin", config.BinDir);
        Assert.True(config.EffectiveLogToStderr);
        // Unset: the host's default (Multus's panic in the one-shot plugin, plexusd's own level in plexusd).
        Assert.Equal(LogLevel.Verbose, config.LogLevelOr(LogLevel.Verbose));
        Assert.Equal(new LogOptions { MaxAge = 5, MaxSize = 100, MaxBackups = 5, Compress = true }, config.EffectiveLogOptions);
        Assert.False(config.NamespaceIsolation);
        Assert.Equal(["default"], config.EffectiveGlobalNamespaces);
        Assert.Equal(["kube-system"], config.EffectiveSystemNamespaces);
        Assert.Equal("kube-system", config.EffectiveMultusNamespace);
        Assert.False(config.RetryDeleteOnError);
        Assert.Null(config.Kubeconfig);
        Assert.Null(config.ReadinessIndicatorFile);
    }

    [Fact]
    public void Parse_EveryKey_ReadsEachValue()
    {
        var config = Parse("""
            {"cniVersion":"0.3.1","name":"multus-cni-network","type":"plexus",
             "capabilities":{"portMappings":true,"io.kubernetes.cri.pod-annotations":true},
             "kubeconfig":"/etc/cni/net.d/multus.d/multus.kubeconfig",
             "delegates":[{"cniVersion":"0.3.1","name":"cbr0","plugins":[{"type":"flannel","custom":{"k":[1,2]}}]}],
             "clusterNetwork":"cbr0","defaultNetworks":["extra-a","extra-b"],
             "confDir":"/c","cniDir":"/d","binDir":"/b","logFile":"/var/log/multus.log","logLevel":"debug",
             "logToStderr":false,"logOptions":{"maxAge":1,"maxSize":2,"maxBackups":3,"compress":false},
             "readinessindicatorfile":"/run/ready","namespaceIsolation":true,"globalNamespaces":"default, shared ,x",
             "systemNamespaces":["kube-system","infra"],"multusNamespace":"multus","retryDeleteOnError":true,
             "auxiliaryCNIChainName":"aux","runtimeConfig":{"portMappings":[{"hostPort":80}]},"daemonSocketDir":"/run/p/"}
            """);

        Assert.Equal("0.3.1", config.CniVersion);
        Assert.Equal("multus-cni-network", config.Name);
        Assert.Equal("plexus", config.Type);
        Assert.True(config.Capabilities!["io.kubernetes.cri.pod-annotations"]);
        Assert.Equal("/etc/cni/net.d/multus.d/multus.kubeconfig", config.Kubeconfig);
        Assert.Equal("""{"type":"flannel","custom":{"k":[1,2]}}""", config.Delegates![0]!["plugins"]![0]!.ToJsonString());
        Assert.Equal("cbr0", config.ClusterNetwork);
        Assert.Equal(["extra-a", "extra-b"], config.DefaultNetworks!);
        Assert.Equal(("/c", "/d", "/b"), (config.ConfDir, config.CniDir, config.BinDir));
        Assert.Equal("/var/log/multus.log", config.LogFile);
        Assert.Equal(LogLevel.Debug, config.LogLevelOr(LogLevel.Panic));
        Assert.False(config.EffectiveLogToStderr);
        Assert.Equal(new LogOptions { MaxAge = 1, MaxSize = 2, MaxBackups = 3, Compress = false }, config.EffectiveLogOptions);
        Assert.Equal("/run/ready", config.ReadinessIndicatorFile);
        Assert.True(config.NamespaceIsolation);
        Assert.Equal(["default", "shared", "x"], config.EffectiveGlobalNamespaces);
        Assert.Equal(["kube-system", "infra"], config.EffectiveSystemNamespaces);
        Assert.Equal("multus", config.EffectiveMultusNamespace);
        Assert.True(config.RetryDeleteOnError);
        Assert.Equal("aux", config.AuxiliaryCniChainName);
        Assert.Equal(80, (int)config.RuntimeConfig!["portMappings"]![0]!["hostPort"]!);
    }

    [Fact]
    public void Parse_EmptyPaths_UseDefaults()
    {
        var config = Parse("""{"name":"m","type":"plexus","clusterNetwork":"a","confDir":"","cniDir":null,"binDir":""}""");

        Assert.Equal(("/etc/cni/multus/net.d", "/var/lib/cni/multus", "/opt/cni/bin"), (config.ConfDir, config.CniDir, config.BinDir));
    }

    [Fact]
    public void Parse_PartialLogOptions_KeepsOtherDefaults()
    {
        var config = Parse("""{"name":"m","clusterNetwork":"a","logOptions":{"maxSize":7}}""");

        Assert.Equal(new LogOptions(MaxAge: 5, MaxSize: 7, MaxBackups: 5, Compress: true), config.EffectiveLogOptions);
    }

    [Fact]
    public void Parse_KeysInOtherCase_AcceptedLikeMultus()
    {
        var config = Parse("""{"name":"m","type":"plexus","clusterNetwork":"a","readinessIndicatorFile":"/r","NamespaceIsolation":true}""");

        Assert.Equal("/r", config.ReadinessIndicatorFile);
        Assert.True(config.NamespaceIsolation);
    }

    [Theory]
    [InlineData("debug", "Debug")]
    [InlineData("VERBOSE", "Verbose")]
    [InlineData("error", "Error")]
    [InlineData("", "Panic")]
    [InlineData("chatty", "Panic")]
    public void LogLevelOr_Name_MapsToLevelOrTheUnsetOne(string name, string expected)
    {
        var config = Parse($$"""{"name":"m","type":"plexus","clusterNetwork":"a","logLevel":"{{name}}"}""");

        Assert.Equal(expected, config.LogLevelOr(LogLevel.Panic).ToString());
    }

    [Fact]
    public void Parse_NoDelegatesNorClusterNetwork_InvalidConfig()
    {
        var error = ParseError("""{"name":"m","type":"plexus","delegates":[]}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("neither \"delegates\" nor \"clusterNetwork\"", error.Message);
    }

    [Theory]
    [InlineData("""{"name":"x"}""")]
    [InlineData("""{"name":"x","type":""}""")]
    [InlineData("""{"name":"x","plugins":"bridge"}""")]
    public void Parse_DelegateWithoutTypeOrPlugins_InvalidConfig(string delegateJson)
    {
        var error = ParseError($$"""{"name":"m","type":"plexus","delegates":[{"type":"bridge"},{{delegateJson}}]}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("delegates[1] has neither \"type\" nor \"plugins\"", error.Message);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("true")]
    [InlineData("{\"n\":\"x\"}")]
    public void Parse_DelegateNameNotAString_InvalidConfig(string name)
    {
        var error = ParseError($$"""{"name":"m","type":"plexus","delegates":[{"type":"bridge","name":{{name}}}]}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("delegates[0] has a \"name\" that is not a string", error.Message);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var error = ParseError("""
            {"name":"m","type":"plexus","delegates":[null,{"name":"x"}],"defaultNetworks":[""],
             "logOptions":{"maxAge":-1}}
            """);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("delegates[0] is null", error.Message);
        Assert.Contains("delegates[1] has neither", error.Message);
        Assert.Contains("defaultNetworks[0] is empty", error.Message);
        Assert.Contains("must not be negative", error.Message);
        Assert.Equal(4, error.Details!.Split('\n').Length);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"name":"m","namespaceIsolation":"yes","clusterNetwork":"a"}""")]
    [InlineData("""{"name":"m","delegates":{"type":"bridge"}}""")]
    [InlineData("""{"name":"m","logOptions":{"maxAge":"5"},"clusterNetwork":"a"}""")]
    public void Parse_MalformedJson_DecodeError(string json)
    {
        var error = ParseError(json);

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains("plexus network configuration", error.Message);
    }

    [Theory]
    [InlineData("""{"name":"m","clusterNetwork":"a","namespaceIsolation":"yes"}""", "$.namespaceIsolation: expected true or false, got \"yes\"")]
    [InlineData("""{"name":"m","clusterNetwork":"a","LogOptions":{"MaxAge":5.5}}""", "$.LogOptions.MaxAge: expected a whole number, got 5.5")]
    [InlineData("""{"name":"m","delegates":[{"type":"a"},3]}""", "$.delegates: expected an array of objects")]
    [InlineData("""{"name":"m","clusterNetwork":"a","capabilities":{"ips":"true"}}""", "$.capabilities: expected an object of true/false values")]
    [InlineData("""{"name":"m","clusterNetwork":"a","systemNamespaces":["kube-system",1]}""", "$.systemNamespaces: expected an array of strings")]
    public void Parse_ValueOfWrongType_DecodeErrorNamesItsPath(string json, string expected)
    {
        var error = ParseError(json);

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains($"failed to decode the plexus network configuration at {expected}", error.Message);
    }

    [Fact]
    public void Parse_NullValues_ReadAsUnset()
    {
        var config = Parse("""{"name":"m","clusterNetwork":"a","namespaceIsolation":null,"logOptions":null,"runtimeConfig":null,"kubeconfig":null}""");

        Assert.False(config.NamespaceIsolation);
        Assert.Equal(new LogOptions(), config.EffectiveLogOptions);
        Assert.Null(config.RuntimeConfig);
        Assert.Null(config.Kubeconfig);
    }

    [Fact]
    public void Parse_DelegatesAndRuntimeConfig_CanBePlacedInOtherJson()
    {
        var config = Parse("""{"name":"m","delegates":[{"type":"a"}],"runtimeConfig":{"mac":"00:11:22:33:44:55"}}""");

        var moved = new JsonObject { ["plugins"] = new JsonArray(config.Delegates![0]), ["runtimeConfig"] = config.RuntimeConfig };

        Assert.Equal("""{"plugins":[{"type":"a"}],"runtimeConfig":{"mac":"00:11:22:33:44:55"}}""", moved.ToJsonString());
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("1.0")]
    [InlineData("banana")]
    public void Parse_UnsupportedVersion_IncompatibleVersion(string version)
    {
        var error = ParseError($$"""{"cniVersion":"{{version}}","name":"m","clusterNetwork":"a"}""");

        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
        Assert.Contains(version, error.Message);
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.3.1","name":"m","type":"plexus","delegates":[{"type":"flannel","type":"bridge"}]}""")]
    [InlineData("""{"cniVersion":"0.3.1","name":"m","name":"n","type":"plexus","delegates":[{"type":"flannel"}]}""")]
    public void Parse_DuplicateKey_DecodeError(string json)
    {
        Assert.Equal(CniErrorCode.DecodeFailure, ParseError(json).Code);
    }

    [Fact]
    public void Parse_InvalidUtf8InADelegate_ReplacedLikeGo()
    {
        // Found by the netconf fuzz target: the bad byte used to surface as InvalidOperationException on first read.
        byte[] json = [.. "{\"cniVersion\":\"0.3.1\",\"name\":\"m\",\"type\":\"plexus\",\"delegates\":[{\"type\":\"flannel\",\"x\":\"a"u8, 0x94, .. "\"}]}"u8];

        var config = MetaConfigParser.Parse(json);

        Assert.Equal("a\uFFFD", config.Delegates![0]!["x"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(""","systemNamespaces":[]""")]
    [InlineData("")]
    public void EffectiveSystemNamespaces_AbsentOrEmpty_KubeSystemAsMultus(string extra)
    {
        var config = Parse($$"""{"cniVersion":"1.0.0","name":"m","type":"plexus","delegates":[{"type":"bridge"}]{{extra}}}""");

        Assert.Equal(["kube-system"], config.EffectiveSystemNamespaces);
    }
}
