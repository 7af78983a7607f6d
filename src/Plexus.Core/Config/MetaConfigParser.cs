using System.Text.Json;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Core.Config;

/// <summary>Reads the meta-plugin's stdin config: decode errors are code 6, invalid content code 7 listing every problem.</summary>
internal static class MetaConfigParser
{
    public static MetaConfig Parse(ReadOnlySpan<byte> json)
    {
        MetaConfig? config;
        try
        {
            var utf8 = CniJson.WithValidUtf8(json);
            CniJson.RejectDuplicateKeys(utf8);
            config = JsonSerializer.Deserialize(utf8, CoreJsonContext.Default.MetaConfig);
        }
        catch (JsonException e)
        {
            throw CniException.Decode(
                $"failed to decode the plexus network configuration at {e.Path ?? "$"}: {e.Message}",
                "fix the JSON of the config file that names \"type\": \"plexus\"");
        }
        if (config is null)
        {
            throw CniException.Decode("the plexus network configuration is JSON null, expected an object");
        }
        CheckVersion(config.CniVersion);
        var errors = MetaConfigValidator.Validate(config);
        if (errors.Count > 0)
        {
            throw CniException.InvalidConfig(
                $"invalid plexus network configuration \"{config.Name}\": {string.Join("; ", errors)}",
                string.Join("\n", errors));
        }
        return config;
    }

    private static void CheckVersion(string? text)
    {
        if (text is null)
        {
            return;
        }
        if (!CniVersion.TryParse(text, out var version) || !version.IsSupported)
        {
            throw new CniException(
                CniErrorCode.IncompatibleVersion,
                $"unsupported cniVersion \"{text}\" in the plexus network configuration",
                $"supported versions: {string.Join(", ", CniVersion.Supported)}");
        }
    }
}
