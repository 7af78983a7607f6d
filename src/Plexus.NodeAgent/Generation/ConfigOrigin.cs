using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.IO;
using Plexus.Cni.Json;
using Plexus.NodeAgent.IO;

namespace Plexus.NodeAgent.Generation;

/// <summary>
/// The primary file that Plexus's config on disk was last written or confirmed from, kept across restarts in
/// <c>&lt;conf-dir&gt;/plexus.d/config-origin.json</c> (0600, written atomically) with the SHA-256 of that config.
/// </summary>
/// <remarks>
/// While that primary is there but does not load, it is being rewritten (flannel's <c>cp -f</c> truncates it first),
/// and an agent restarted in that moment must keep the config just as the agent that wrote it would. The config itself
/// cannot say which file it came from: it embeds the primary's content, not its path, and a truncated file has no
/// content left to match. The record counts only while the config still has the recorded bytes: a config restored from
/// a backup, written by another agent or removed since did not come from that primary. It is written just before the
/// config and removed just before it, so the config stays the last file a pass changes, and a crash in between leaves a
/// record whose hash the config does not have. For the same reason its directory is not synced after the rename.
/// </remarks>
internal sealed class ConfigOrigin(string confDir, string configPath, AgentLog log)
{
    public const string FileName = "config-origin.json";

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirMode = FileMode | UnixFileMode.UserExecute;

    private bool _loaded;
    private string? _primaryPath;
    private string? _configSha256;

    /// <summary>The record's path in <paramref name="confDir"/>.</summary>
    public static string PathIn(string confDir) => Path.Combine(confDir, ConfDirLock.DirName, FileName);

    /// <summary>The full path of the primary the config on disk came from; null when that is not known.</summary>
    public string? PrimaryPath
    {
        get
        {
            Load();
            return _primaryPath;
        }
    }

    /// <summary>The config now holds <paramref name="config"/>, generated from <paramref name="primaryPath"/>; written only when that changed.</summary>
    public void Remember(string primaryPath, byte[] config)
    {
        Load();
        var fullPath = Path.GetFullPath(primaryPath);
        var sha256 = Sha256Of(config);
        if (fullPath == _primaryPath && sha256 == _configSha256)
        {
            return;
        }
        var record = PathIn(confDir);
        Directory.CreateDirectory(Path.GetDirectoryName(record)!, DirMode);
        var json = new JsonObject { ["primary"] = fullPath, ["configSha256"] = sha256 }.ToJsonString();
        AtomicFile.WriteAllBytes(record, Encoding.UTF8.GetBytes(json), FileMode, syncDirectory: false);
        (_primaryPath, _configSha256) = (fullPath, sha256);
    }

    /// <summary>The config was removed: it came from no primary.</summary>
    public void Forget()
    {
        (_loaded, _primaryPath, _configSha256) = (true, null, null);
        // File.Delete throws when plexus.d itself is missing.
        if (File.Exists(PathIn(confDir)))
        {
            File.Delete(PathIn(confDir));
        }
    }

    private void Load()
    {
        if (_loaded)
        {
            return;
        }
        _loaded = true;
        AtomicFile.DeleteStrays(PathIn(confDir));
        if (Read() is var (primary, sha256) && sha256 == ConfigSha256())
        {
            (_primaryPath, _configSha256) = (primary, sha256);
        }
    }

    private (string Primary, string Sha256)? Read()
    {
        var record = PathIn(confDir);
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllBytes(record));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            log.Warn($"ignored {record}, not JSON ({e.Message}); it is written again when the config is written or found up to date");
            return null;
        }
        if (json is JsonObject obj && JsonScalars.String(obj["primary"]) is { } primary && JsonScalars.String(obj["configSha256"]) is { } sha256)
        {
            return (primary, sha256);
        }
        log.Warn($"ignored {record}, not an object with the strings \"primary\" and \"configSha256\"; it is written again when the config is written or found up to date");
        return null;
    }

    private string? ConfigSha256()
    {
        try
        {
            return Sha256Of(File.ReadAllBytes(configPath));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
