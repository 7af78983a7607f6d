using System.Text;
using Plexus.Cni.Skel;

namespace Plexus.Fuzz.Targets;

/// <summary>
/// The plugin's whole input: <c>KEY=VALUE</c> environment lines, an empty line, then stdin.
/// VERSION is skipped because it carries no invocation (the dispatcher answers it first).
/// </summary>
public sealed class SkelEnvTarget : IFuzzTarget
{
    public string Name => "skel-env";

    public void Run(byte[] input)
    {
        var split = input.AsSpan().IndexOf("\n\n"u8);
        var envText = Encoding.UTF8.GetString(split < 0 ? input : input.AsSpan(0, split));
        var stdin = split < 0 ? [] : input.AsSpan(split + 2).ToArray();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in envText.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                env[line[..eq]] = line[(eq + 1)..];
            }
        }
        if (env.TryGetValue("CNI_COMMAND", out var command) && command == "VERSION")
        {
            return;
        }
        Expected.CniErrorsOnly(() => _ = CniInvocation.Create(env, stdin));
    }
}
