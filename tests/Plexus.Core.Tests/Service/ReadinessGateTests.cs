using Plexus.Cni;
using Plexus.Core.Service;
using Plexus.Testing;

namespace Plexus.Core.Tests.Service;

public sealed class ReadinessGateTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "plexus-ready-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(path);

    [Fact]
    public async Task WaitAsync_FileExists_ReturnsAtOnce()
    {
        File.WriteAllText(path, "");
        var time = new ManualTimeProvider();

        await ReadinessGate.WaitAsync(path, time, CancellationToken.None);

        Assert.Empty(time.RequestedDelays);
    }

    [Fact]
    public async Task WaitAsync_FileAppearsLater_PollsEverySecond()
    {
        var time = new ManualTimeProvider();
        var wait = ReadinessGate.WaitAsync(path, time, CancellationToken.None);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1), count: 2);
        File.WriteAllText(path, "");
        time.Advance(TimeSpan.FromSeconds(1));

        await wait;

        Assert.All(time.RequestedDelays, d => Assert.Equal(TimeSpan.FromSeconds(1), d));
    }

    [Fact]
    public async Task WaitAsync_NeverAppears_TryAgainLaterAfter45Seconds()
    {
        var time = new ManualTimeProvider();
        var wait = ReadinessGate.WaitAsync(path, time, CancellationToken.None);
        for (var i = 1; i <= 45; i++)
        {
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(1), count: i);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var error = await Assert.ThrowsAsync<CniException>(() => wait);

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains(path, error.Message);
    }
}
