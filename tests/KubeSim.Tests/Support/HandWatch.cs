using System.Text.Json;
using k8s;

namespace Plexus.KubeSim.Tests.Support;

/// <summary>
/// A watch done by hand through the official client's own handler and credentials, the way
/// Plexus must do it with KubernetesClient.Aot (which has no Watch support).
/// </summary>
internal sealed class HandWatch : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<WatchLine?> _lines;

    private HandWatch(HttpResponseMessage response, IAsyncEnumerator<WatchLine?> lines)
    {
        _response = response;
        _lines = lines;
    }

    public static async Task<HandWatch> StartAsync(Kubernetes client, string relativeUrl, CancellationToken cancellationToken)
    {
        var http = client.HttpClient;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, relativeUrl));
        await client.Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var lines = JsonSerializer.DeserializeAsyncEnumerable(stream, TestJsonContext.Default.WatchLine, topLevelValues: true, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        return new HandWatch(response, lines);
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<WatchLine?> NextAsync() => await _lines.MoveNextAsync() ? _lines.Current : null;

    /// <summary>Events until one matches (failing if the stream ends first).</summary>
    public async Task<WatchLine> NextMatchingAsync(Func<WatchLine, bool> wanted)
    {
        var seen = new List<string>();
        while (await NextAsync() is { } line)
        {
            if (wanted(line)) return line;
            seen.Add(line.Type);
        }
        throw new Xunit.Sdk.XunitException($"watch ended without the expected event; saw {string.Join(",", seen)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _lines.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // The test's deadline already ended the read.
        }
        _response.Dispose();
    }
}
