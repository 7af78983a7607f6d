using System.Collections;
using k8s.KubeConfigModels;
using Plexus.Cni;

namespace Plexus.Kube;

/// <summary>
/// What an exec credential plugin is started with: the command (relative ones with a slash are relative to the
/// kubeconfig's directory, as in client-go), its arguments and this process's environment plus the kubeconfig's
/// <c>env</c> and <c>KUBERNETES_EXEC_INFO</c>. Strings the OS cannot pass on are refused here, never cut at a NUL.
/// </summary>
internal sealed record ExecPluginCommand(string Path, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The command to start; errors never quote arguments or env values (they may hold secrets).</summary>
    public static ExecPluginCommand From(ExternalExecution exec, string kubeconfigPath)
    {
        if (string.IsNullOrWhiteSpace(exec.Command) || string.IsNullOrWhiteSpace(exec.ApiVersion))
        {
            throw Failed(kubeconfigPath, "its exec credential plugin needs both \"command\" and \"apiVersion\"");
        }
        var command = exec.Command;
        IReadOnlyList<string> arguments = [.. exec.Arguments ?? []];
        var environment = Inherited();
        var refusal = command.Contains('\0', StringComparison.Ordinal) ? "its command contains a NUL character" : null;
        for (var i = 0; refusal is null && i < arguments.Count; i++)
        {
            refusal = arguments[i].Contains('\0', StringComparison.Ordinal) ? $"its argument {i + 1} contains a NUL character" : null;
        }
        var variables = exec.EnvironmentVariables ?? [];
        for (var i = 0; refusal is null && i < variables.Count; i++)
        {
            if (!variables[i].TryGetValue("name", out var name) || !variables[i].TryGetValue("value", out var value))
            {
                throw Failed(kubeconfigPath, "each item of its exec credential plugin's \"env\" needs \"name\" and \"value\"");
            }
            refusal = EnvRefusal(i + 1, name, value);
            environment[name] = value;
        }
        if (refusal is not null)
        {
            throw Failed(kubeconfigPath, $"its exec credential plugin {command.Replace("\0", "\\0", StringComparison.Ordinal)} cannot be started: {refusal}");
        }
        environment["KUBERNETES_EXEC_INFO"] =
            $$$"""{"apiVersion":"{{{System.Text.Json.JsonEncodedText.Encode(exec.ApiVersion)}}}","kind":"ExecCredential","spec":{"interactive":false}}""";
        if (command.Contains('/', StringComparison.Ordinal))
        {
            command = System.IO.Path.GetFullPath(command, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(kubeconfigPath))!);
        }
        return new ExecPluginCommand(command, arguments, environment);
    }

    internal static CniException Failed(string kubeconfigPath, string what) => new(CniErrorCode.InvalidNetworkConfig,
        $"cannot load kubeconfig {kubeconfigPath}: {what}",
        "run the plugin by hand as the node's root to see its output, or fix users[].user.exec in the kubeconfig");

    private static string? EnvRefusal(int item, string name, string value) =>
        name.Length == 0 ? $"the name of its env item {item} is empty"
        : name.Contains('=', StringComparison.Ordinal) ? $"the name of its env item {item} contains '='"
        : (name + value).Contains('\0', StringComparison.Ordinal) ? $"its env item {item} contains a NUL character"
        : null;

    private static Dictionary<string, string> Inherited()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Value is string value)
            {
                environment[(string)entry.Key] = value;
            }
        }
        return environment;
    }
}
