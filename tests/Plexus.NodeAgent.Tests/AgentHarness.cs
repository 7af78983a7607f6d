using Plexus.NodeAgent.Backup;
using Plexus.NodeAgent.Generation;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Tests;

/// <summary>A conf dir, a backup root and a generator over them, in one temp dir.</summary>
public sealed class AgentHarness : IDisposable
{
    public AgentHarness(ConfigSettings? settings = null)
    {
        ConfDir = Temp.Sub("net.d");
        BackupDir = Path.Combine(Temp.Path, "backups");
        Backup = new BackupStore(BackupDir, TimeProvider.System);
        Generator = new ConfigGenerator(new GeneratorOptions { ConfDir = ConfDir, Settings = settings ?? new ConfigSettings() }, Backup, Log);
    }

    public TempDir Temp { get; } = new();

    public string ConfDir { get; }

    public string BackupDir { get; }

    public StringWriter LogText { get; } = new();

    public AgentLog Log => new(LogText, TimeProvider.System);

    public BackupStore Backup { get; }

    public ConfigGenerator Generator { get; }

    public string OutputPath => Generator.Options.OutputPath;

    public string Write(string name, string content)
    {
        var path = Path.Combine(ConfDir, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Temp.Dispose();
}
