using Plexus.Daemon.Server;

namespace Plexus.Daemon.Tests.Server;

public sealed class ContainerLocksTests
{
    [Fact]
    public async Task RunAsync_WaiterCancelled_LeavesNothingHeldAndTheRunningCallFinishes()
    {
        var locks = new ContainerLocks();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = locks.RunAsync("c1", () => release.Task, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = locks.RunAsync("c1", () => Task.FromResult(2), cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult(1);

        Assert.Equal(1, await running);
        Assert.Equal(0, locks.Held);
        Assert.Equal(3, await locks.RunAsync("c1", () => Task.FromResult(3), CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_WorkThrows_TheNextCallOfThatContainerRuns()
    {
        var locks = new ContainerLocks();

        await Assert.ThrowsAsync<InvalidOperationException>(() => locks.RunAsync<int>("c1", () => throw new InvalidOperationException(), CancellationToken.None));

        Assert.Equal(7, await locks.RunAsync("c1", () => Task.FromResult(7), CancellationToken.None));
        Assert.Equal(0, locks.Held);
    }
}
