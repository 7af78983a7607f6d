using Plexus.NodeAgent.Cli;

namespace Plexus.NodeAgent.Tests.Cli;

/// <summary>
/// <c>--config-file-name</c> may not be the name of another config the runtime loads (judged by content): Plexus would
/// overwrite it, or remove it as its own, and with it the node's network.
/// </summary>
public sealed class ConfigFileNameTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public ConfigFileNameTests()
    {
        Directory.CreateDirectory(ConfDir);
        Scenarios.CopyTo("flannel", ConfDir);
    }

    public void Dispose() => _temp.Dispose();

    private string ConfDir => Path.Combine(_temp.Path, "net.d");

    private string Backups => Path.Combine(_temp.Path, "b");

    private string Flannel => Path.Combine(ConfDir, "10-flannel.conflist");

    [Theory]
    [InlineData("config", "generate")]
    [InlineData("config", "watch")]
    [InlineData("doctor", "--fix")]
    public void PrimarysOwnName_UsageErrorAndThePrimaryUntouched(string command, string sub)
    {
        var before = File.ReadAllBytes(Flannel);

        var code = Run(command, sub, "--conf-dir", ConfDir, "--backup-dir", Backups, "--config-file-name", "10-flannel.conflist");

        Assert.Equal(2, code);
        Assert.Contains($"--config-file-name 10-flannel.conflist: {Flannel} holds the \"cbr0\" network's config, not a Plexus config", _err.ToString());
        Assert.Equal(before, File.ReadAllBytes(Flannel));
        Assert.Equal(["10-flannel.conflist"], Directory.GetFiles(ConfDir).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Backups));
    }

    [Fact]
    public void DefaultNameHoldingAForeignConfig_JudgedByContentAndRefused()
    {
        File.Copy(Flannel, Path.Combine(ConfDir, "00-plexus.conflist"));

        Assert.Equal(2, Run("config", "generate", "--conf-dir", ConfDir, "--backup-dir", Backups));

        Assert.Contains("not a Plexus config", _err.ToString());
    }

    [Fact]
    public void NameOfAMetaConfig_Refused()
    {
        File.WriteAllText(Path.Combine(ConfDir, "00-multus.conflist"), "{\"cniVersion\":\"0.3.1\",\"name\":\"m\",\"plugins\":[{\"type\":\"multus\",\"delegates\":[]}]}");

        Assert.Equal(2, Run("config", "generate", "--conf-dir", ConfDir, "--backup-dir", Backups, "--config-file-name", "00-multus.conflist"));

        Assert.Contains("holds a multus config", _err.ToString());
    }

    [Fact]
    public void NameOfThePrimaryInTheAutoconfigDir_Refused()
    {
        var auto = _temp.Sub("auto");
        File.Move(Flannel, Path.Combine(auto, "10-flannel.conflist"));

        Assert.Equal(2, Run("config", "generate", "--conf-dir", ConfDir, "--autoconfig-dir", auto, "--backup-dir", Backups, "--config-file-name", "10-flannel.conflist"));

        Assert.Contains(Path.Combine(auto, "10-flannel.conflist"), _err.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"cniVersion\":")]
    public void NameOfAFileNoRuntimeLoads_Accepted(string content)
    {
        File.WriteAllText(Path.Combine(ConfDir, "05-plexus.conflist"), content);

        Assert.Equal(0, Run("config", "generate", "--conf-dir", ConfDir, "--backup-dir", Backups, "--config-file-name", "05-plexus.conflist"));

        Assert.Contains("with primary 10-flannel.conflist", _out.ToString());
    }

    [Fact]
    public void NameOfPlexusOwnConfig_AcceptedAgainAndAgain()
    {
        string[] args = ["config", "generate", "--conf-dir", ConfDir, "--backup-dir", Backups, "--config-file-name", "05-plexus.conflist", "--mode", "thick"];

        Assert.Equal(0, Run(args));
        Assert.Equal(0, Run(args));
        // Exit 1 only for the plugin binaries missing from the bin dir, not a usage error.
        Assert.Equal(1, Run("doctor", "--conf-dir", ConfDir, "--backup-dir", Backups, "--config-file-name", "05-plexus.conflist", "--fix", "--bin-dir", _temp.Path));

        Assert.Contains("is up to date", _out.ToString());
    }

    private int Run(params string[] args)
    {
        using var stopped = new CancellationTokenSource();
        // A watch would run until stopped: stopped before it starts, it makes one pass (or none, refused) and returns.
        stopped.Cancel();
        return AgentCli.Dispatch(args, new CliContext(_out, _err, _ => null, TimeProvider.System, args[1] == "watch" ? stopped.Token : CancellationToken.None));
    }
}
