using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plexus.Cni.Json;
using Plexus.Cni.Skel;
using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Daemon.Logging;

namespace Plexus.Daemon.Cni;

/// <summary>
/// Runs a call through the very dispatcher and meta-plugin the thin <c>plexus</c> executable runs, with
/// the request's env and stdin in place of the process's: results and errors are byte for byte thin mode's.
/// The node-wide keys of plexusd's config, when it has any, are set over the request's config first.
/// </summary>
public sealed class DispatcherCallHandler(ICniPlugin plugin, ILogger<DispatcherCallHandler> logger, JsonObject? overlay = null) : ICniCallHandler
{
    public async Task<CniOutcome> HandleAsync(CniCall call, CancellationToken cancellationToken)
    {
        var config = overlay is null ? call.Body.Config : MetaConfigOverlay.Apply(call.Body.Config, overlay);
        using var stdin = new MemoryStream(config, writable: false);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = await PluginDispatcher.RunAsync(call.Body.Env, stdin, stdout, stderr, plugin, cancellationToken).ConfigureAwait(false);
        if (stderr.GetStringBuilder().Length > 0)
        {
            logger.PluginStderr(stderr.ToString());
        }
        var output = stdout.ToArray();
        if (exit == PluginDispatcher.ExitSuccess)
        {
            var result = output.Length == 0 ? null : JsonNode.Parse(output)!.AsObject();
            return CniOutcome.Success(CniVersionField.SpokenOrLatest(CniVersionField.Of(result)), result);
        }
        if (CniErrorJson.TryParse(output, out var error))
        {
            return CniOutcome.Failure(CniVersionField.SpokenOrLatest(CniVersionField.Read(output)), error);
        }
        return CniOutcome.Failure(CniVersion.Latest, new CniException(PluginDispatcher.InternalErrorCode,
            "plexusd: the meta-plugin failed without error JSON", System.Text.Encoding.UTF8.GetString(output)));
    }
}
