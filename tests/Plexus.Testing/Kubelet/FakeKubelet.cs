using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Plexus.Testing.Kubelet;

/// <summary>
/// The kubelet's pod-resources gRPC service for tests: Kestrel speaking HTTP/2 cleartext on a
/// unix socket in a temp dir, with scripted answers to <c>Get</c> and <c>List</c>.
/// </summary>
public sealed class FakeKubelet : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string dir;

    private FakeKubelet(WebApplication app, string dir)
    {
        this.app = app;
        this.dir = dir;
    }

    public string SocketPath => Path.Combine(dir, "kubelet.sock");

    /// <summary>Calls received: <c>Get ns/name</c> or <c>List</c>.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The answer to <c>Get</c> for (namespace, name); by default UNIMPLEMENTED, as before Kubernetes 1.27.</summary>
    public Func<string, string, KubeletReply> Get { get; set; } = (_, _) => KubeletReply.Error(12, "unknown method Get for service v1.PodResourcesLister");

    /// <summary>The answer to <c>List</c>; by default no pods.</summary>
    public Func<KubeletReply> List { get; set; } = () => KubeletReply.Ok(PodResourcesProto.ListResponse());

    public static async Task<FakeKubelet> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("plexus-kubelet-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.ListenUnixSocket(Path.Combine(dir, "kubelet.sock"), l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var kubelet = new FakeKubelet(app, dir);
        app.MapPost("/v1.PodResourcesLister/{method}", kubelet.HandleAsync);
        await app.StartAsync();
        return kubelet;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private async Task HandleAsync(HttpContext context, string method)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = body.ToArray();
        var message = request.Length >= 5 ? request[5..] : [];
        KubeletReply reply;
        if (method == "Get")
        {
            var fields = ProtoBuilder.Strings(message);
            var name = fields.LastOrDefault(f => f.Field == 1).Text ?? "";
            var ns = fields.LastOrDefault(f => f.Field == 2).Text ?? "";
            Calls.Enqueue($"Get {ns}/{name}");
            reply = Get(ns, name);
        }
        else if (method == "List")
        {
            Calls.Enqueue("List");
            reply = List();
        }
        else
        {
            reply = KubeletReply.Error(12, $"unknown method {method}");
        }
        await WriteAsync(context.Response, reply);
    }

    private static async Task WriteAsync(HttpResponse response, KubeletReply reply)
    {
        response.StatusCode = reply.HttpStatus;
        response.ContentType = reply.ContentType;
        if (reply.Payload is null && reply.RawBody is null)
        {
            // Trailers-only: an error status without messages travels in the headers.
            response.Headers["grpc-status"] = reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(reply.Message);
            return;
        }
        var body = reply.RawBody ?? Frame(reply.Payload!);
        await response.Body.WriteAsync(body);
        if (reply.SendStatus)
        {
            response.AppendTrailer("grpc-status", reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.AppendTrailer("grpc-message", Uri.EscapeDataString(reply.Message));
        }
    }

    private static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }
}

/// <summary>A scripted answer: a gRPC status, a message to frame, or a raw body (for malformed answers).</summary>
public sealed record KubeletReply(int Status, string Message = "", byte[]? Payload = null)
{
    public byte[]? RawBody { get; init; }

    public int HttpStatus { get; init; } = 200;

    public string ContentType { get; init; } = "application/grpc";

    /// <summary>False: the answer ends without grpc-status (a broken server).</summary>
    public bool SendStatus { get; init; } = true;

    public static KubeletReply Ok(byte[] payload) => new(0, "", payload);

    public static KubeletReply Error(int status, string message) => new(status, message);
}
