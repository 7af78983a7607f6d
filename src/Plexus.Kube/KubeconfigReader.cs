using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Plexus.Kube;

/// <summary>
/// Reads a kubeconfig (YAML or JSON) into the client library's model by walking YamlDotNet's node tree, field by
/// field as the library's own loader maps them. The loader builds a reflection-driven deserializer for the whole
/// Kubernetes model on first use: under NativeAOT that was a millisecond of every thin ADD's CPU (perf), for a file
/// of a dozen fields. As with the loader, merge keys and aliases resolve, unknown fields are ignored, a repeated key
/// is an error, and a plain <c>null</c>, <c>~</c> or empty value is null.
/// </summary>
internal static partial class KubeconfigReader
{
    public static K8SConfiguration Read(string yaml)
    {
        var stream = new YamlStream();
        using (var text = new StringReader(yaml))
        {
            stream.Load(new MergingParser(new Parser(text)));
        }
        if (stream.Documents.Count == 0)
        {
            throw new KubeConfigException("the file is empty");
        }
        var root = Mapping(stream.Documents[0].RootNode, "the kubeconfig") ?? throw new KubeConfigException("the file is empty");
        return Fill(root, new K8SConfiguration(), (config, key, value) =>
        {
            switch (key)
            {
                case "apiVersion": config.ApiVersion = String(value, key); break;
                case "kind": config.Kind = String(value, key); break;
                case "current-context": config.CurrentContext = String(value, key); break;
                case "clusters": config.Clusters = List(value, key, ReadCluster); break;
                case "users": config.Users = List(value, key, ReadUser); break;
                case "contexts": config.Contexts = List(value, key, ReadContext); break;
            }
        });
    }

    private static Cluster ReadCluster(YamlMappingNode node) => Fill(node, new Cluster(), (cluster, key, value) =>
    {
        switch (key)
        {
            case "name": cluster.Name = String(value, key); break;
            case "cluster": cluster.ClusterEndpoint = Object(value, key, ReadClusterEndpoint); break;
        }
    });

    private static KubeconfigClusterEndpoint ReadClusterEndpoint(YamlMappingNode node) => Fill(node, new KubeconfigClusterEndpoint(), (endpoint, key, value) =>
    {
        switch (key)
        {
            case "server": endpoint.Server = String(value, key); break;
            case "certificate-authority": endpoint.CertificateAuthority = String(value, key); break;
            case "certificate-authority-data": endpoint.CertificateAuthorityData = String(value, key); break;
            case "tls-server-name": endpoint.TlsServerName = String(value, key); break;
            case "insecure-skip-tls-verify": endpoint.SkipTlsVerify = Boolean(value, key); break;
            case "proxy-url": endpoint.ProxyUrl = String(value, key); break;
            case "disable-compression": endpoint.DisableCompression = Boolean(value, key); break;
            case "extensions": endpoint.ExecExtensionJson = ExecExtension(List(value, key, ReadNamedExtension)); break;
        }
    });

    private static NamedExtension ReadNamedExtension(YamlMappingNode node) => Fill(node, new NamedExtension(), (item, key, value) =>
    {
        switch (key)
        {
            case "name": item.Name = String(value, key); break;
            case "extension": item.Extension = value; break;
        }
    });

    private static byte[]? ExecExtension(List<NamedExtension>? extensions) =>
        extensions?.LastOrDefault(e => e.Name == KubeconfigClusterEndpoint.ExecExtensionName)?.Extension is { } extension
            ? ExtensionJson(extension)
            : null;

    // An item of a cluster's "extensions"; the value stays YAML until it is known to be the exec plugin's.
    private sealed class NamedExtension
    {
        public string? Name { get; set; }

        public YamlNode? Extension { get; set; }
    }

    private static Context ReadContext(YamlMappingNode node) => Fill(node, new Context(), (context, key, value) =>
    {
        switch (key)
        {
            case "name": context.Name = String(value, key); break;
            case "context": context.ContextDetails = Object(value, key, ReadContextDetails); break;
        }
    });

    private static ContextDetails ReadContextDetails(YamlMappingNode node) => Fill(node, new ContextDetails(), (details, key, value) =>
    {
        switch (key)
        {
            case "cluster": details.Cluster = String(value, key); break;
            case "user": details.User = String(value, key); break;
            case "namespace": details.Namespace = String(value, key); break;
        }
    });

    private static User ReadUser(YamlMappingNode node) => Fill(node, new User(), (user, key, value) =>
    {
        switch (key)
        {
            case "name": user.Name = String(value, key); break;
            case "user": user.UserCredentials = Object(value, key, ReadUserCredentials); break;
        }
    });

    private static UserCredentials ReadUserCredentials(YamlMappingNode node) => Fill(node, new UserCredentials(), (credentials, key, value) =>
    {
        switch (key)
        {
            case "client-certificate-data": credentials.ClientCertificateData = String(value, key); break;
            case "client-certificate": credentials.ClientCertificate = String(value, key); break;
            case "client-key-data": credentials.ClientKeyData = String(value, key); break;
            case "client-key": credentials.ClientKey = String(value, key); break;
            case "token": credentials.Token = String(value, key); break;
            case "as": credentials.Impersonate = String(value, key); break;
            case "as-groups": credentials.ImpersonateGroups = Strings(value, key); break;
            case "as-user-extra": credentials.ImpersonateUserExtra = StringMap(value, key); break;
            case "username": credentials.UserName = String(value, key); break;
            case "password": credentials.Password = String(value, key); break;
            case "auth-provider": credentials.AuthProvider = Object(value, key, ReadAuthProvider); break;
            case "exec": credentials.ExternalExecution = Object(value, key, ReadExec); break;
        }
    });

    private static AuthProvider ReadAuthProvider(YamlMappingNode node) => Fill(node, new AuthProvider(), (provider, key, value) =>
    {
        switch (key)
        {
            case "name": provider.Name = String(value, key); break;
            case "config": provider.Config = StringMap(value, key); break;
        }
    });

    private static KubeconfigExec ReadExec(YamlMappingNode node) => Fill(node, new KubeconfigExec(), (exec, key, value) =>
    {
        switch (key)
        {
            case "apiVersion": exec.ApiVersion = String(value, key); break;
            case "command": exec.Command = String(value, key); break;
            case "args": exec.Arguments = Strings(value, key); break;
            case "env": exec.EnvironmentVariables = List(value, key, StringMap); break;
            case "installHint": exec.InstallHint = String(value, key); break;
            case "provideClusterInfo": exec.ProvideClusterInfo = Boolean(value, key); break;
            case "interactiveMode": exec.InteractiveMode = String(value, key); break;
        }
    });

    // Sets each field the mapping has, leaving the model's defaults (e.g. empty lists) where it has none; a YAML null
    // sets null, as with the loader. Keys the model does not know are ignored.
    private static T Fill<T>(YamlMappingNode node, T target, Action<T, string, YamlNode?> set)
    {
        foreach (var (key, value) in node.Children)
        {
            set(target, key is YamlScalarNode { Value: { } name } ? name : throw new KubeConfigException("a map key must be a string"),
                IsNull(value) ? null : value);
        }
        return target;
    }

    private static string? String(YamlNode? node, string key) => node switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        _ => throw new KubeConfigException($"\"{key}\" must be a string"),
    };

    private static bool Boolean(YamlNode? node, string key) => String(node, key)?.ToLowerInvariant() switch
    {
        null or "false" or "no" or "n" or "off" => false,
        "true" or "yes" or "y" or "on" => true,
        _ => throw new KubeConfigException($"\"{key}\" must be true or false"),
    };

    private static T? Object<T>(YamlNode? node, string key, Func<YamlMappingNode, T> read)
        where T : class =>
        Mapping(node, $"\"{key}\"") is { } mapping ? read(mapping) : null;

    private static List<T>? List<T>(YamlNode? node, string key, Func<YamlMappingNode, T> read) => node switch
    {
        null => null,
        YamlSequenceNode sequence => [.. sequence.Children.Select(item => Mapping(item, $"an item of \"{key}\"") is { } mapping
            ? read(mapping)
            : throw new KubeConfigException($"an item of \"{key}\" is empty"))],
        _ => throw new KubeConfigException($"\"{key}\" must be a list"),
    };

    private static List<string>? Strings(YamlNode? node, string key) => node switch
    {
        null => null,
        YamlSequenceNode sequence => [.. sequence.Children.Select(item => item is YamlScalarNode scalar && !IsNull(scalar)
            ? scalar.Value!
            : throw new KubeConfigException($"the items of \"{key}\" must be strings"))],
        _ => throw new KubeConfigException($"\"{key}\" must be a list of strings"),
    };

    private static Dictionary<string, string>? StringMap(YamlNode? node, string key) =>
        Mapping(node, $"\"{key}\"") is { } mapping ? StringMap(mapping) : null;

    private static Dictionary<string, string> StringMap(YamlMappingNode mapping) => Fill(mapping, new Dictionary<string, string>(StringComparer.Ordinal),
        (map, key, value) => map[key] = value is YamlScalarNode { Value: { } text } ? text : throw new KubeConfigException($"the value of \"{key}\" must be a string"));

    private static YamlMappingNode? Mapping(YamlNode? node, string what) => node switch
    {
        null => null,
        YamlMappingNode mapping => mapping,
        _ when IsNull(node) => null,
        _ => throw new KubeConfigException($"{what} must be a map"),
    };

    // YAML's null: a plain (unquoted) empty value, ~ or null in any of the spellings the core schema allows.
    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
