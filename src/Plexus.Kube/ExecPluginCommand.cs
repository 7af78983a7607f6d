using System.Collections;
using k8s.KubeConfigModels;
using Plexus.Cni;

namespace Plexus.Kube;

/// <summary>
/// What an exec credential plugin is started with: the command (relative ones with a slash are relative to the
/// kubeconfig's directory, as in client-go), its arguments and this process's environment plus the kubeconfig's
/// <c>env</c> and <c>KUBERNETES_EXEC_INFO</c> (<see cref="ExecInfo"/>). Strings the OS cannot pass on are refused
/// here, never cut at a NUL.
/// </summary>
internal sealed record ExecPluginCommand(string Path, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The command to start; errors never quote arguments or env values (they may hold secrets).</summary>
    public static ExecPluginCommand From(ExecPluginConfig config)
    {
        var (exec, kubeconfigPath) = (config.Exec, config.KubeconfigPath);
        if (string.IsNullOrWhiteSpace(exec.Command) || string.IsNullOrWhiteSpace(exec.ApiVersion))
        {
            throw Failed(kubeconfigPath, "its exec credential plugin needs both \"command\" and \"apiVersion\"");
        }
        CheckInteractiveMode(config);
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
        environment[ExecInfo.EnvironmentVariable] = ExecInfo.Json(config);
        if (command.Contains('/', StringComparison.Ordinal))
        {
            command = System.IO.Path.GetFullPath(command, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(kubeconfigPath))!);
        }
        return new ExecPluginCommand(command, arguments, environment);
    }

    internal static CniException Failed(string kubeconfigPath, string what, string? remedy = null) => new(CniErrorCode.InvalidNetworkConfig,
        $"cannot load kubeconfig {kubeconfigPath}: {what}",
        remedy ?? "run the plugin by hand as the node's root to see its output, or fix users[].user.exec in the kubeconfig");

    /// <summary>
    /// Plexus, like client-go without a terminal, never lends the plugin its stdin: <c>Always</c> is refused before the
    /// plugin starts, as client-go refuses it ("standard input is not a terminal"), and so is a value client-go does not
    /// know. Without the key the plugin runs non-interactively (client-go's default for v1beta1; for v1 it asks for the
    /// key to be set).
    /// </summary>
    private static void CheckInteractiveMode(ExecPluginConfig config)
    {
        var mode = (config.Exec as KubeconfigExec)?.InteractiveMode;
        var user = $"the exec credential plugin of user \"{config.UserName}\"";
        var remedy = $"set interactiveMode: Never (or IfAvailable) in the exec section of user \"{config.UserName}\": a plugin run for a CNI call can never prompt anyone";
        switch (mode)
        {
            case null or "Never" or "IfAvailable":
                return;
            case "Always":
                throw Failed(config.KubeconfigPath, $"{user} has interactiveMode Always, which needs a terminal on standard input; a CNI plugin has none (client-go refuses it too: standard input is not a terminal)", remedy);
            default:
                throw Failed(config.KubeconfigPath, $"{user} has an interactiveMode that is none of Never, IfAvailable and Always", remedy);
        }
    }

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
