using System.Net;
using System.Text;
using Plexus.Daemon.Config;
using Plexus.Daemon.Protocol;

namespace Plexus.Daemon.Tests.Config;

public sealed class DaemonSettingsParserTests
{
    private static readonly Func<string, string?> NodeEnv = name => name == "NODE_NAME" ? "node-7" : null;

    [Fact]
    public void Parse_DeployConfigMap_ReadsEveryKey()
    {
        var json = ExtractConfigMapJson();

        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), NodeEnv);

        Assert.Empty(errors);
        Assert.Equal("/run/plexus", settings!.Server.SocketDir);
        Assert.Equal((8, 64), (settings.Server.MaxInFlight, settings.Server.MaxQueued));
        Assert.Equal(TimeSpan.FromSeconds(55), settings.Server.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Server.DrainTimeout);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9464), settings.Server.MetricsEndpoint);
        Assert.True(settings.Server.JsonLogs);
        Assert.Equal("node-7", settings.NodeName);
        Assert.Equal("plexus-shim", settings.Generator!.Settings.PluginType);
        // chrootDir: every other path is the node's own, read after plexusd has moved into the node's root.
        Assert.Equal("/hostroot", settings.ChrootDir);
        Assert.Equal("/etc/cni/net.d", settings.Generator.ConfDir);
        Assert.Equal("/opt/cni/bin", settings.BinDir);
        Assert.Null(settings.Generator.Settings.ReadinessIndicatorFile);
        Assert.Equal("/var/lib/plexus/backups", settings.BackupDir);
        Assert.False(settings.CleanupConfigOnExit);
    }

    [Theory]
    [InlineData("""{}""", null)]
    [InlineData("""{"chrootDir": ""}""", null)]
    [InlineData("""{"chrootDir": "/hostroot"}""", "/hostroot")]
    public void Parse_ChrootDir_AbsolutePathOrNone(string json, string? expected)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal(expected, settings!.ChrootDir);
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", settings.ServiceAccountDir);
    }

    [Theory]
    [InlineData("""{"chrootDir": "hostroot"}""", "absolute path")]
    [InlineData("""{"chrootDir": true}""", "must be a string")]
    public void Parse_ChrootDirNotAnAbsolutePath_RefusedNamingTheKey(string json, string expected)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Null(settings);
        var error = Assert.Single(errors);
        Assert.Contains("\"chrootDir\"", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Empty_DefaultsWithoutAgent()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("{}"u8, _ => null);

        Assert.Empty(errors);
        Assert.Equal(new DaemonOptions(), settings!.Server);
        Assert.Null(settings.Generator);
        Assert.Null(settings.NodeName);
    }

    [Theory]
    [InlineData("{}", "Verbose")]
    [InlineData("""{"logLevel":"panic"}""", "Panic")]
    [InlineData("""{"logLevel":"error"}""", "Error")]
    [InlineData("""{"logLevel":"Debug"}""", "Debug")]
    public void Parse_LogLevel_MultusLevelCaseInsensitiveAsTheMetaConfigsDefaultVerbose(string json, string expected)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal(expected, settings!.LogLevel.ToString());
    }

    [Theory]
    [InlineData("\"\"", "\"logLevel\" must be panic, error, verbose or debug, not \"\"")]
    [InlineData("\"warning\"", "\"logLevel\" must be panic, error, verbose or debug, not \"warning\"")]
    [InlineData("2", "\"logLevel\" must be a string, not 2")]
    public void Parse_BadLogLevel_RefusedNamingTheKey(string value, string expected)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""{"logLevel":{{value}}}"""), _ => null);

        Assert.Null(settings);
        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("{}", "/opt/cni/bin", "/var/lib/cni/multus")]
    [InlineData("""{"binDir":"","cniDir":""}""", "/opt/cni/bin", "/var/lib/cni/multus")]
    [InlineData("""{"binDir":"/host/opt/cni/bin","cniDir":"/host/var/lib/cni/plexus"}""", "/host/opt/cni/bin", "/host/var/lib/cni/plexus")]
    public void Parse_BinDirAndCniDir_ForDelegateWithTheMetaConfigsDefaults(string json, string binDir, string cniDir)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal((binDir, cniDir), (settings!.BinDir, settings.CniDir));
    }

    [Fact]
    public void Parse_BinDirAndCniDirWithGenerateConfig_GeneratedConfigNamesTheSameDirs()
    {
        var (settings, _) = DaemonSettingsParser.Parse(
            """{"generateConfig":true,"binDir":"/host/opt/cni/bin","cniDir":"/host/var/lib/cni/plexus"}"""u8, _ => null);

        Assert.Equal(("/host/opt/cni/bin", "/host/var/lib/cni/plexus"), (settings!.Generator!.Settings.BinDir, settings.Generator.Settings.CniCacheDir));
    }

    [Fact]
    public void Parse_BinDirNotAString_ErrorNamesTheKey()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("""{"binDir":7}"""u8, _ => null);

        Assert.Null(settings);
        Assert.Contains(errors, e => e.StartsWith("\"binDir\" must be a string", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"metricsAddress":"off"}""")]
    [InlineData("""{"metricsAddress":""}""")]
    public void Parse_MetricsOff_NoEndpoint(string json)
    {
        Assert.Null(DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null).Settings!.Server.MetricsEndpoint);
    }

    [Fact]
    public void Parse_BadValues_ReportsEveryKeyAndNoSettings()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("""
            {"maxInFlight":0,"maxQueued":-1,"requestTimeoutSeconds":"soon","metricsAddress":"localhost","jsonLogs":"yes","socketDir":5}
            """u8, _ => null);

        Assert.Null(settings);
        foreach (var key in new[] { "maxInFlight", "maxQueued", "requestTimeoutSeconds", "metricsAddress", "jsonLogs", "socketDir" })
        {
            Assert.Single(errors, e => e.Contains(key, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Keys plexusd reads itself (some twice: for the generated config and for its own settings) and that are also
    /// meta-plugin keys of the overlay: a bad value is named once, whoever reads it.
    /// </summary>
    [Theory]
    [InlineData("logLevel", "5")]
    [InlineData("logLevel", "\"loud\"")]
    [InlineData("kubeconfig", "5")]
    [InlineData("binDir", "[]")]
    [InlineData("cniDir", "false")]
    [InlineData("namespaceIsolation", "\"yes\"")]
    [InlineData("logToStderr", "\"no\"")]
    [InlineData("globalNamespaces", "1")]
    [InlineData("readinessindicatorfile", "2")]
    [InlineData("logFile", "{}")]
    public void Parse_BadValueOfAKeyReadMoreThanOnce_NamedOnce(string key, string value)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""{"generateConfig":true,"{{key}}":{{value}}}"""), _ => null);

        Assert.Null(settings);
        Assert.StartsWith($"\"{key}\" must be", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("requestTimeoutSeconds", "86401")]
    [InlineData("queueTimeoutSeconds", "1e12")]
    [InlineData("maxInFlight", "100001")]
    [InlineData("maxQueued", "3000000000")]
    [InlineData("metricsMaxConnections", "0")]
    [InlineData("metricsMaxConnections", "-1")]
    [InlineData("metricsMaxConnections", "100001")]
    [InlineData("metricsMaxConnections", "2.5")]
    [InlineData("metricsMaxConnections", "\"16\"")]
    [InlineData("metricsHeadTimeoutSeconds", "0")]
    [InlineData("metricsHeadTimeoutSeconds", "-5")]
    [InlineData("metricsHeadTimeoutSeconds", "86401")]
    [InlineData("metricsHeadTimeoutSeconds", "\"5s\"")]
    [InlineData("socketDir", "\"run/plexus\"")]
    public void Parse_ValueBeyondWhatWorks_RefusedNamingTheKey(string key, string value)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""{"{{key}}":{{value}}}"""), _ => null);

        Assert.Null(settings);
        Assert.StartsWith($"\"{key}\" must be", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LargestValues_Accepted()
    {
        var (settings, errors) = DaemonSettingsParser.Parse(
            """{"requestTimeoutSeconds":86400,"drainTimeoutSeconds":86400,"maxInFlight":100000,"maxQueued":100000,"metricsMaxConnections":100000,"metricsHeadTimeoutSeconds":86400}"""u8,
            _ => null);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromDays(1), settings!.Server.RequestTimeout);
        Assert.True(settings.Server.MaxConnections > 0);
        Assert.Equal((100_000, TimeSpan.FromDays(1)), (settings.Server.MetricsMaxConnections, settings.Server.MetricsHeadTimeout));
    }

    [Theory]
    [InlineData("""{}""", 16, 5.0)]
    [InlineData("""{"metricsMaxConnections":4,"metricsHeadTimeoutSeconds":2.5}""", 4, 2.5)]
    [InlineData("""{"metricsMaxConnections":1,"metricsHeadTimeoutSeconds":0.1}""", 1, 0.1)]
    public void Parse_MetricsPortLimits_FromTheirKeysOrSixteenConnectionsAndFiveSeconds(string json, int connections, double headSeconds)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal((connections, TimeSpan.FromSeconds(headSeconds)), (settings!.Server.MetricsMaxConnections, settings.Server.MetricsHeadTimeout));
    }

    [Fact]
    public void Parse_SocketPathTooLongForAUnixSocket_RefusedNamingBothKeys()
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""{"socketDir":"/{{new string('d', 95)}}","socketName":"multus.sock"}"""), _ => null);

        Assert.Null(settings);
        Assert.Contains("longer than the 107 bytes a unix socket allows", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SocketName_ServesTheMultusShimsSocket()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("""{"socketDir":"/run/multus","socketName":"multus.sock"}"""u8, _ => null);

        Assert.Empty(errors);
        Assert.Equal("/run/multus/multus.sock", settings!.Server.SocketPath);
    }

    [Theory]
    [InlineData("""{"socketDir":""}""")]
    [InlineData("""{"socketDir":"","daemonSocketDir":""}""")]
    public void Parse_EmptySocketDir_TheDefaultAsTheShimReadsIt(string json)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal(DaemonEndpoints.SocketPath(""), settings!.Server.SocketPath);
    }

    [Fact]
    public void Parse_NoSocketName_PlexusSock()
    {
        Assert.Equal("/run/plexus/plexus.sock", DaemonSettingsParser.Parse("{}"u8, _ => null).Settings!.Server.SocketPath);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"../escape.sock\"")]
    [InlineData("\"sub/x.sock\"")]
    [InlineData("\"..\"")]
    [InlineData("\"multus.sock.lock\"")]
    [InlineData("7")]
    public void Parse_SocketNameNotAPlainFileName_Refused(string value)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""{"socketName":{{value}}}"""), _ => null);

        Assert.Null(settings);
        Assert.Contains("socketName", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SocketNameWithGenerateConfig_GeneratedShimConfigNamesDirAndFile()
    {
        var (settings, errors) = DaemonSettingsParser.Parse(
            """{"socketDir":"/run/multus","socketName":"multus.sock","generateConfig":true}"""u8, _ => null);

        Assert.Empty(errors);
        Assert.Equal("/run/multus", settings!.Generator!.Settings.DaemonSocketDir);
        Assert.Equal("multus.sock", settings.Generator.Settings.DaemonSocketName);
    }

    [Fact]
    public void Parse_DefaultSocket_GeneratedShimConfigNamesNeither()
    {
        var (settings, _) = DaemonSettingsParser.Parse("""{"generateConfig":true}"""u8, _ => null);

        Assert.Null(settings!.Generator!.Settings.DaemonSocketDir);
        Assert.Null(settings.Generator.Settings.DaemonSocketName);
    }

    [Theory]
    [InlineData("\"banana\"")]
    [InlineData("\"9.9.9\"")]
    [InlineData("7")]
    public void Parse_BadCniVersion_RefusedNamingTheKey(string value)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""{"generateConfig":true,"cniVersion":{{value}}}"""), _ => null);

        Assert.Null(settings);
        Assert.StartsWith("\"cniVersion\" must be", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"generateConfig":true}""", null, null)]
    [InlineData("""{"generateConfig":true,"cniVersion":"0.3.1","logLevel":"error"}""", "0.3.1", "error")]
    public void Parse_GenerateConfig_CniVersionAndLogLevelForTheGeneratedConfig(string json, string? version, string? level)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal((version, level), (settings!.Generator!.Settings.CniVersion, settings.Generator.Settings.LogLevel));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    public void Parse_NotAnObject_OneClearError(string json)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Null(settings);
        Assert.Contains("not valid JSON", Assert.Single(errors), StringComparison.Ordinal);
    }

    /// <summary>The JSON block of deploy/thick/configmap.yaml, so the parser is checked against what is deployed.</summary>
    internal static string ExtractConfigMapJson()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Plexus.slnx")))
        {
            dir = dir.Parent;
        }
        var lines = File.ReadAllLines(Path.Combine(dir.FullName, "deploy", "thick", "configmap.yaml"));
        var start = Array.FindIndex(lines, l => l.Trim() == "daemon-config.json: |") + 1;
        return string.Join('\n', lines.Skip(start).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)));
    }

    /// <summary>The keys of a Multus 4 thick deployment's daemon config (its paths read as given: with chrootDir they are the node's).</summary>
    [Fact]
    public void Parse_MultusDaemonConfig_GeneratesIntoCniConfigDirWithItsKeys()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("""
            {"chrootDir":"/hostroot","cniVersion":"0.3.1","logLevel":"verbose","logToStderr":true,
             "cniConfigDir":"/host/etc/cni/net.d","multusAutoconfigDir":"/host/etc/cni/net.d","multusConfigFile":"auto",
             "multusMasterCNI":"10-calico.conflist","forceCNIVersion":true,"overrideNetworkName":true,
             "namespaceIsolation":true,"globalNamespaces":"default,infra","socketDir":"/host/run/multus/"}
            """u8, _ => null);

        Assert.Empty(errors);
        var generator = settings!.Generator!;
        Assert.Equal(("/host/etc/cni/net.d", null, "10-calico.conflist"), (generator.ConfDir, generator.AutoconfigDir, generator.PrimaryFileName));
        Assert.True(generator.Settings is { ForceCniVersion: true, OverrideNetworkName: true, NamespaceIsolation: true, GlobalNamespaces: "default,infra", LogToStderr: true });
        Assert.Equal("""{"logLevel":"verbose","logToStderr":true,"namespaceIsolation":true,"globalNamespaces":"default,infra"}""", settings.RequestOverlay!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"multusConfigFile":"auto","multusAutoconfigDir":"/a","cniConfigDir":"/b"}""", true, "/b", "/a")]
    [InlineData("""{"multusConfigFile":"auto","generateConfig":false}""", false, null, null)]
    [InlineData("""{"multusConfigFile":""}""", false, null, null)]
    [InlineData("""{}""", false, null, null)]
    public void Parse_MultusConfigFileAuto_GeneratesUnlessGenerateConfigSaysOtherwise(string json, bool generates, string? confDir, string? autoconfigDir)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal(generates, settings!.Generator is not null);
        Assert.Equal((confDir, autoconfigDir), (settings.Generator?.ConfDir, settings.Generator?.AutoconfigDir));
    }

    [Fact]
    public void Parse_MultusConfigFilePath_RefusedNamingTheKey()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("""{"multusConfigFile":"/tmp/my-multus.conf"}"""u8, _ => null);

        Assert.Null(settings);
        Assert.StartsWith("\"multusConfigFile\" must be \"auto\"", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"generateConfig":true,"readinessindicatorfile":"/r","clusterNetwork":"calico"}""", """{"clusterNetwork":"calico"}""")]
    [InlineData("""{"readinessindicatorfile":"/r","clusterNetwork":"calico"}""", """{"readinessindicatorfile":"/r","clusterNetwork":"calico"}""")]
    [InlineData("""{"socketDir":"/run/plexus","maxInFlight":8}""", null)]
    public void Parse_MetaKeys_SetOverEveryRequestReadinessOnlyWithoutTheConfigWatch(string json, string? overlay)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Empty(errors);
        Assert.Equal(overlay, settings!.RequestOverlay?.ToJsonString());
    }

    [Theory]
    [InlineData("""{"namespaceIsolation":"yes"}""", "\"namespaceIsolation\" must be true or false, not \"yes\"")]
    [InlineData("""{"Clusternetwork":"calico"}""", "\"Clusternetwork\": plexusd reads its keys in their exact case; write \"clusterNetwork\"")]
    [InlineData("""{"maxInFlight":8,"maxInFlight":9}""", "not valid JSON")]
    public void Parse_BadMetaKeyOrRepeatedKey_RefusedNamingIt(string json, string error)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(json), _ => null);

        Assert.Null(settings);
        Assert.StartsWith(error, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MultusConfDirBesideCniConfigDir_CniConfigDirIsTheNodesAndEmptyMetaKeysOverrideNothing()
    {
        var (settings, errors) = DaemonSettingsParser.Parse("""
            {"multusConfigFile":"auto","cniConfigDir":"/etc/cni/net.d","confDir":"/etc/cni/multus/net.d","kubeconfig":"","readinessindicatorfile":""}
            """u8, _ => null);

        Assert.Empty(errors);
        Assert.Equal("/etc/cni/net.d", settings!.Generator!.ConfDir);
        Assert.Null(settings.RequestOverlay);
    }
}
