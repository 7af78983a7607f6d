using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Daemon.Metrics;
using Plexus.Daemon.Server.Http;

namespace Plexus.Daemon.Tests.Server.Http;

public sealed class RequestBodyTests
{
    private readonly DaemonMetrics _metrics = new();

    private double Held => _metrics.RequestBodyBytes.Value;

    [Fact]
    public void Reserve_ContentLength_ExactlyThatMuchCountedAndGivenBackOnDispose()
    {
        var budget = new BodyBudget(2L * RequestBody.MaxBytes, _metrics);
        var body = new RequestBody(budget);

        body.Reserve(RequestBody.MaxBytes);
        body.Append(new byte[RequestBody.MaxBytes]);

        Assert.Equal(RequestBody.MaxBytes, Held);
        Assert.Equal(RequestBody.MaxBytes, body.Content.Length);
        body.Dispose();
        Assert.Equal(0, Held);
        Assert.Equal(0, body.Content.Length);
    }

    [Fact]
    public void Reserve_GrowingChunkByChunk_DoublesButNeverPastTheMaximum()
    {
        var body = new RequestBody(new BodyBudget(2L * RequestBody.MaxBytes, _metrics));
        var threeMiB = 3 << 20;

        body.Reserve(1000);
        body.Append(new byte[1000]);
        body.Reserve(10);
        Assert.Equal(2000, Held);
        body.Append(new byte[10]);
        body.Reserve(threeMiB - 1010);
        Assert.Equal(threeMiB, Held);
        body.Append(new byte[threeMiB - 1010]);
        body.Reserve(1);

        Assert.Equal(RequestBody.MaxBytes, Held);
    }

    [Theory]
    [InlineData(0, (4 << 20) + 1)]
    [InlineData(3 << 20, (1 << 20) + 1)]
    public void Reserve_PastTheMaximum_Refused413WithTheCniErrorAndNothingCounted(int read, int more)
    {
        var body = new RequestBody(new BodyBudget(2L * RequestBody.MaxBytes, _metrics));
        body.Reserve(read);
        body.Append(new byte[read]);

        var refused = Assert.Throws<HttpRequestRejected>(() => body.Reserve(more));

        Assert.Equal(413, refused.Status);
        Assert.Equal("application/json", refused.Response.ContentType);
        var error = JsonNode.Parse(refused.Response.Body)!;
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)error["code"]!);
        Assert.Equal("plexusd: request body larger than 4 MiB", (string)error["msg"]!);
        Assert.Equal(read, Held);
    }

    [Fact]
    public void Reserve_BudgetOfAllBodiesUsedUp_RefusedCode11UntilABodyIsGivenBack()
    {
        var budget = new BodyBudget(2L * RequestBody.MaxBytes, _metrics);
        var first = new RequestBody(budget);
        var second = new RequestBody(budget);
        var third = new RequestBody(budget);
        first.Reserve(RequestBody.MaxBytes);
        second.Reserve(RequestBody.MaxBytes - 1);

        var refused = Assert.Throws<HttpRequestRejected>(() => third.Reserve(2));

        Assert.Equal(400, refused.Status);
        var error = JsonNode.Parse(refused.Response.Body)!;
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Equal("plexusd is busy: request bodies being read or run already hold 8 MiB, all it buffers at once", (string)error["msg"]!);
        Assert.Equal(1, _metrics.Rejected.WithLabels("body_budget").Value);
        third.Reserve(1);
        first.Dispose();
        third.Reserve(2);
        Assert.Equal(RequestBody.MaxBytes - 1 + 2, Held);
    }

    [Theory]
    [InlineData(1, 0, 8L << 20)]
    [InlineData(8, 64, 8L << 20)]
    [InlineData(100, 200, 300L * 64 << 10)]
    [InlineData(1000, 100_000, 64L << 20)]
    public void For_SizedFromTheAdmissionLimitsBetweenTwoMaximumBodiesAndAnEighthOfTheMemoryLimit(int inFlight, int queued, long expected)
    {
        var budget = BodyBudget.For(new DaemonOptions { MaxInFlight = inFlight, MaxQueued = queued }, _metrics);

        Assert.Equal(expected, budget.Limit);
    }
}
