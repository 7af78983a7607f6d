using Plexus.Cni.Invoke;
using Xunit;

namespace Plexus.Cni.Tests.Invoke;

public sealed class BackgroundWorkTests
{
    [Theory]
    [InlineData("plexus-cache", "plexus-cache")]
    [InlineData("plexus-resolve-attachments", "plexus-resolve-")]
    public async Task Start_OwnThread_RunsOnANamedThreadOfItsOwn(string name, string expectedComm)
    {
        var caller = Environment.CurrentManagedThreadId;

        var (threadId, comm) = await BackgroundWork.Start(
            () => Task.FromResult((Environment.CurrentManagedThreadId, File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n'))),
            onThreadPool: false, name);

        Assert.NotEqual(caller, threadId);
        Assert.Equal(expectedComm, comm);
    }

    [Fact]
    public async Task Start_OwnThread_WorkThrows_TaskCarriesTheException()
    {
        var work = BackgroundWork.Start(() => throw new IOException("disk gone"), onThreadPool: false, "plexus-test");

        var thrown = await Assert.ThrowsAsync<IOException>(() => work);
        Assert.Equal("disk gone", thrown.Message);
    }

    [Fact]
    public async Task Start_OwnThread_AwaiterContinuesOnTheWorkersThread()
    {
        var release = new ManualResetEventSlim();
        var worker = 0;
        var work = BackgroundWork.Start(() =>
        {
            worker = Environment.CurrentManagedThreadId;
            release.Wait();
            return Task.FromResult(true);
        }, onThreadPool: false, "plexus-test");

        var continuation = ContinueAsync(work);
        release.Set();
        var continuedOn = await continuation;

        Assert.Equal(worker, continuedOn);
    }

    private static async Task<int> ContinueAsync(Task<bool> work)
    {
        await work.ConfigureAwait(false);
        return Environment.CurrentManagedThreadId;
    }
}
