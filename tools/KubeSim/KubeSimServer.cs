using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Plexus.KubeSim.Faults;
using Plexus.KubeSim.Hosting;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim;

/// <summary>
/// The Kubernetes API server simulator, in-process: <c>await using var sim = await KubeSimServer.StartAsync();</c>
/// then point a client at <see cref="BaseUrl"/> with <see cref="Token"/> and <see cref="CaPem"/>
/// (or <see cref="WriteKubeconfig"/>). Seed objects with the helpers, assert round trips with
/// <see cref="Requests"/>, inject failures with <see cref="Faults"/>, <see cref="DropWatches"/>
/// and <see cref="RefuseConnectionsAsync"/>.
/// </summary>
public sealed partial class KubeSimServer : IAsyncDisposable
{
    private readonly SimState _state;
    private readonly SemaphoreSlim _hostGate = new(1, 1);
    private StatePersistence? _persistence;
    private SimHost? _host;
    // While down: the port stays bound but not listening, so connections are refused (as from a stopped API server) and
    // no other process on the machine is handed the port meanwhile (a client would then reach a stranger's server).
    private Socket? _heldPort;
    private ApiRouter? _router;

    private KubeSimServer(SimState state) => _state = state;

    public static async Task<KubeSimServer> StartAsync(KubeSimOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeSimOptions();
        var server = new KubeSimServer(new SimState(options));
        try
        {
            await server.InitializeAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var options = _state.Options;
        if (options.StateDir is { } dir)
        {
            StatePersistence.Load(_state.Store, dir);
            _persistence = new StatePersistence(_state.Store, dir);
            _state.Changed += _persistence.MarkDirty;
        }
        if (options.CreateSystemNamespaces)
        {
            foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            {
                if (Get("v1", "Namespace", null, ns) is null) CreateNamespace(ns);
            }
        }
        _router = new ApiRouter(_state, new ControlEndpoints(_state, RefuseForAsync), () => $"127.0.0.1:{Port}");
        _host = await SimHost.StartAsync(_state, options.Port, _router, cancellationToken);
        Port = _host.Port;
        if (options.KubeconfigOut is { } path) WriteKubeconfig(path);
    }

    /// <summary>The listening port (kept across connection refusal).</summary>
    public int Port { get; private set; }

    public string BaseUrl => $"https://127.0.0.1:{Port}";

    public Uri BaseUri => new(BaseUrl);

    /// <summary>The CA that signed the server certificate (what clients must trust).</summary>
    public X509Certificate2 CaCertificate => _state.Authority.Certificate;

    public string CaPem => _state.Authority.CertificatePem;

    /// <summary>
    /// The server's certificate with its key (for 127.0.0.1, ::1 and localhost, signed by <see cref="CaCertificate"/>):
    /// what a test's https:// proxy in front of the server presents to be trusted through the kubeconfig's CA.
    /// </summary>
    public X509Certificate2 ServerCertificate => _state.Authority.ServerCertificate;

    /// <summary>The token the server accepts now (re-read from the token file when it changes).</summary>
    public string Token => _state.Tokens.CurrentToken;

    public string? TokenFile => _state.Tokens.TokenFile;

    /// <summary>Accept only <paramref name="token"/> from now on (writes the token file when there is one).</summary>
    public void RotateToken(string token) => _state.Tokens.Rotate(token);

    public RequestCounters Requests => _state.Counters;

    public FaultSwitches Faults => _state.Faults;

    /// <summary>The store's current resourceVersion (the last one issued).</summary>
    public long ResourceVersion => _state.Store.Revision;

    public int ActiveWatches => _state.Store.WatcherCount;

    public bool RefusingConnections => _host is null;

    /// <summary>
    /// Writes a kubeconfig for this server (current token inline) and returns the path. With
    /// <paramref name="referenceTokenFile"/> it also names the token file, which kubectl re-reads (rotation);
    /// leave it off for KubernetesClient, which does not cope with tokenFile. <paramref name="proxyUrl"/> is written as the
    /// cluster's proxy-url.
    /// </summary>
    public string WriteKubeconfig(string path, bool referenceTokenFile = false, string? proxyUrl = null)
    {
        KubeconfigWriter.Write(path, BaseUrl, CaPem, Token, referenceTokenFile ? TokenFile : null, proxyUrl);
        return path;
    }

    /// <summary>An HttpClient that trusts only this server's CA and sends the current token.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is X509Certificate2 presented && _state.Authority.Validates(presented),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = BaseUri };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return client;
    }

    /// <summary>Ends every open watch stream abruptly (clients see the connection cut mid-stream).</summary>
    public void DropWatches() => _state.Store.DropWatchers();

    /// <summary>Stops listening: new connections are refused and open ones are cut, until <see cref="AcceptConnectionsAsync"/>.</summary>
    public Task RefuseConnectionsAsync(CancellationToken cancellationToken = default) => StopListeningAsync(holdPort: true, cancellationToken);

    private async Task StopListeningAsync(bool holdPort, CancellationToken cancellationToken = default)
    {
        await _hostGate.WaitAsync(cancellationToken);
        try
        {
            var host = _host;
            _host = null;
            if (host is not null)
            {
                _state.Store.DropWatchers();
                await host.DisposeAsync();
                _heldPort = holdPort ? TryHoldPort(Port) : null;
            }
        }
        finally
        {
            _hostGate.Release();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public async Task AcceptConnectionsAsync(CancellationToken cancellationToken = default)
    {
        await _hostGate.WaitAsync(cancellationToken);
        try
        {
            if (_host is null)
            {
                _heldPort?.Dispose();
                _heldPort = null;
                _host = await SimHost.StartAsync(_state, Port, _router!, cancellationToken);
            }
        }
        finally
        {
            _hostGate.Release();
        }
    }

    /// <summary>Null when a client elsewhere on the machine was handed the port as its own in the moment it was free.</summary>
    private static Socket? TryHoldPort(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // The cut connections' TIME_WAIT entries would otherwise keep the port from being bound again.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            return null;
        }
    }

    private async Task RefuseForAsync(TimeSpan duration)
    {
        await RefuseConnectionsAsync();
        await Task.Delay(duration, _state.Clock);
        await AcceptConnectionsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopListeningAsync(holdPort: false);
        _heldPort?.Dispose();
        if (_persistence is not null) await _persistence.DisposeAsync();
        _state.Dispose();
        _hostGate.Dispose();
    }
}
