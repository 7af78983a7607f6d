using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Core.Config;

/// <summary>
/// Reads the meta-plugin's stdin config: decode errors are code 6, invalid content code 7 listing
/// every problem. Mapped by hand rather than by the serializer: in a one-shot NativeAOT process the
/// serializer's per-type setup (reflection over attributes and converters) cost about a millisecond
/// per call, more than everything else the config needs.
/// </summary>
internal static class MetaConfigParser
{
    private const string What = "plexus network configuration";
    private const string Remedy = "fix the JSON of the config file that names \"type\": \"plexus\"";

    public static MetaConfig Parse(ReadOnlySpan<byte> json)
    {
        var config = Read(new JsonFields(ParseObject(json), "$", What, Remedy));
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

    /// <summary>
    /// Only the logging keys of a config that <see cref="Parse"/> refused, so that its error still reaches
    /// <c>logFile</c> (Multus sets up its logging before it validates); null when even those cannot be read.
    /// </summary>
    public static MetaConfig? ReadLogging(ReadOnlySpan<byte> json)
    {
        try
        {
            var fields = new JsonFields(ParseObject(json), "$", What, Remedy);
            return new MetaConfig
            {
                LogFile = fields.String("logFile"),
                LogLevel = fields.String("logLevel"),
                LogToStderr = fields.Bool("logToStderr"),
                LogOptions = fields.Nested("logOptions") is { } log ? ReadLogOptions(log) : null,
            };
        }
        catch (CniException)
        {
            return null;
        }
    }

    private static JsonObject ParseObject(ReadOnlySpan<byte> json)
    {
        try
        {
            return CniJson.ParseObject(json, $"the {What}");
        }
        catch (CniException e)
        {
            throw CniException.Decode($"failed to decode the {What}: {e.Message}", e.Details ?? Remedy);
        }
    }

    private static MetaConfig Read(JsonFields fields) => new()
    {
        CniVersion = fields.String("cniVersion"),
        Name = fields.String("name"),
        Type = fields.String("type"),
        Capabilities = fields.BoolMap("capabilities"),
        Kubeconfig = fields.String("kubeconfig"),
        Delegates = fields.Objects("delegates"),
        ClusterNetwork = fields.String("clusterNetwork"),
        DefaultNetworks = fields.Strings("defaultNetworks"),
        ConfDir = fields.String("confDir")!,
        CniDir = fields.String("cniDir")!,
        BinDir = fields.String("binDir")!,
        LogFile = fields.String("logFile"),
        LogLevel = fields.String("logLevel"),
        LogToStderr = fields.Bool("logToStderr"),
        LogOptions = fields.Nested("logOptions") is { } log ? ReadLogOptions(log) : null,
        ReadinessIndicatorFile = fields.String("readinessindicatorfile"),
        NamespaceIsolation = fields.Bool("namespaceIsolation") ?? false,
        GlobalNamespaces = fields.String("globalNamespaces"),
        SystemNamespaces = fields.Strings("systemNamespaces"),
        MultusNamespace = fields.String("multusNamespace"),
        RetryDeleteOnError = fields.Bool("retryDeleteOnError") ?? false,
        AuxiliaryCniChainName = fields.String("auxiliaryCNIChainName"),
        RuntimeConfig = fields.Object("runtimeConfig"),
    };

    private static LogOptions ReadLogOptions(JsonFields log)
    {
        var defaults = new LogOptions();
        return new LogOptions(
            MaxAge: log.Int("maxAge") ?? defaults.MaxAge,
            MaxSize: log.Int("maxSize") ?? defaults.MaxSize,
            MaxBackups: log.Int("maxBackups") ?? defaults.MaxBackups,
            Compress: log.Bool("compress") ?? defaults.Compress);
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
