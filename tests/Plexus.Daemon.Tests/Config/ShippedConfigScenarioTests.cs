using System.Text;
using System.Text.Json.Nodes;
using Plexus.Daemon.Config;
using Plexus.NodeAgent;
using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Generation;

namespace Plexus.Daemon.Tests.Config;

/// <summary>
/// deploy/thick/configmap.yaml's settings, parsed as plexusd parses them, generate a config on every node layout in
/// the scenario conf dirs (tests/Plexus.NodeAgent.Tests/TestData/confdirs, the copies of the shared scenarios): a node
/// whose primary gets no config stays NotReady.
/// </summary>
public sealed class ShippedConfigScenarioTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-shipped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("cilium", "0.3.1")]
    [InlineData("containerd-bridge", "1.0.0")]
    [InlineData("flannel", "0.3.1")]
    [InlineData("kindnet", "0.3.1")]
    [InlineData("rke2-calico", "0.3.1")]
    [InlineData("rke2-canal", "0.3.1")]
    public void Generate_ShippedThickSettings_WritesAShimConfigAtThePrimarysVersion(string scenario, string primaryVersion)
    {
        var confDir = Path.Combine(_dir, "net.d");
        CopyScenario(scenario, confDir);
        var primary = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(confDir).Single()))!;
        Assert.Equal(primaryVersion, (string?)primary["cniVersion"]);
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes(DaemonSettingsParserTests.ExtractConfigMapJson()), _ => "node-1");
        Assert.Empty(errors);
        var options = settings!.Generator! with { ConfDir = confDir };
        var log = new StringWriter();
        var generator = new ConfigGenerator(options, new BackupStore(Path.Combine(_dir, "backups"), TimeProvider.System), new AgentLog(log, TimeProvider.System));

        var outcome = generator.Generate(CancellationToken.None);

        Assert.True(outcome.Status == GenerateStatus.Written, $"{scenario}: {outcome.Message}\n{log}");
        var generated = JsonNode.Parse(File.ReadAllText(options.OutputPath))!;
        Assert.Equal(primaryVersion, (string?)generated["cniVersion"]);
        var plugin = generated["plugins"]![0]!;
        Assert.Equal("plexus-shim", (string?)plugin["type"]);
        Assert.True(JsonNode.DeepEquals(primary, plugin["delegates"]![0]));
    }

    private static void CopyScenario(string scenario, string target)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Plexus.slnx")))
        {
            dir = dir.Parent;
        }
        var source = Path.Combine(dir.FullName, "tests", "Plexus.NodeAgent.Tests", "TestData", "confdirs", scenario);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
