using System.Net;

namespace Plexus.Kube.Tests;

public sealed class KubeRequestTimingTests
{
    private static readonly KubeRequestLabels Labels = new("list", "pods");
    private readonly Recorder _observer = new();

    [Theory]
    [InlineData(HttpStatusCode.OK, "200")]
    [InlineData(HttpStatusCode.NotFound, "404")]
    [InlineData(HttpStatusCode.Gone, "410")]
    public async Task TimeAsync_Answered_StatusReportedAndResponseReturned(HttpStatusCode status, string code)
    {
        using var answer = new HttpResponseMessage(status);

        var response = await _observer.TimeAsync(Labels, () => Task.FromResult(answer), CancellationToken.None);

        Assert.Same(answer, response);
        Assert.Equal([("list", "pods", code)], _observer.Reported);
    }

    [Fact]
    public async Task TimeAsync_ConnectionFailed_TransportErrorReportedAndRethrown()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            _observer.TimeAsync(Labels, () => throw new HttpRequestException("refused"), CancellationToken.None));

        Assert.Equal([("list", "pods", "transport_error")], _observer.Reported);
    }

    [Fact]
    public async Task TimeAsync_ClientTimeoutRanOut_TimeoutReportedAndRethrown()
    {
        await Assert.ThrowsAsync<TaskCanceledException>(() =>
            _observer.TimeAsync(Labels, () => Task.FromException<HttpResponseMessage>(new TaskCanceledException("HttpClient.Timeout")), CancellationToken.None));

        Assert.Equal([("list", "pods", "timeout")], _observer.Reported);
    }

    [Fact]
    public async Task TimeAsync_CallerCancelled_NotReported()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<TaskCanceledException>(() =>
            _observer.TimeAsync(Labels, () => Task.FromCanceled<HttpResponseMessage>(cancel.Token), cancel.Token));

        Assert.Empty(_observer.Reported);
    }

    private sealed class Recorder : IKubeRequestObserver
    {
        public List<(string Verb, string Resource, string Code)> Reported { get; } = [];

        public void Completed(string verb, string resource, string code, TimeSpan elapsed)
        {
            Assert.True(elapsed >= TimeSpan.Zero);
            Reported.Add((verb, resource, code));
        }
    }
}
