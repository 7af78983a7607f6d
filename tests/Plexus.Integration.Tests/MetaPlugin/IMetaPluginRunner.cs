using Plexus.Cni.Skel;
using Plexus.Core.Service;

namespace Plexus.Integration.Tests.MetaPlugin;

/// <summary>
/// How a scenario reaches the meta-plugin built on a <see cref="MetaPluginHost"/>: in process (thin mode), or
/// through the published plexus-shim and an in-process plexusd (thick mode, see Thick/ShimDaemonRunner).
/// </summary>
internal interface IMetaPluginRunner : IAsyncDisposable
{
    /// <param name="kubernetes">Whether <paramref name="host"/> reaches the API simulator (false: static delegates only).</param>
    ICniPlugin Plugin(MetaPluginHost host, bool kubernetes);
}

/// <summary>Thin mode: the meta-plugin in the test process, as the <c>plexus</c> executable runs it.</summary>
internal sealed class InProcessRunner : IMetaPluginRunner
{
    public ICniPlugin Plugin(MetaPluginHost host, bool kubernetes) => new Core.Service.MetaPlugin(host);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
