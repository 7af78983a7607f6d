using System.Net;
using Plexus.Cni;
using Plexus.Cni.Invoke;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Protocol.Shim;
using Plexus.Daemon.Server;
using Plexus.Daemon.Tests.Testing;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Server;

/// <summary>Bounded concurrency, per-request timeouts and the SIGTERM drain, driven through the real shim client.</summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Cni_200ConcurrentAddsWithLimit8_EachSucceedsOrGetsCode11AndNeverMoreThan8Run()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" });
        });
        await using var daemon = await TestDaemon.StartAsync(handler,
            o => o with { MaxInFlight = 8, MaxQueued = 16, QueueTimeout = TimeSpan.FromSeconds(60) });

        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(() => daemon.ShimAsync("ADD", "c" + i))).ToList();
        // Everything beyond 8 running + 16 queued is refused at once; then the running ones may finish.
        await WaitUntilAsync(() => calls.Count(c => c.IsCompleted) >= 200 - 8 - 16);
        release.SetResult();
        var outputs = await Task.WhenAll(calls);

        var succeeded = outputs.Count(o => o.ExitCode == 0);
        var tryAgain = outputs.Count(o => o.ExitCode != 0 && (int)TestDaemon.Json(o)["code"]! == CniErrorCode.TryAgainLater);
        Assert.Equal(200, succeeded + tryAgain);
        Assert.Equal(8 + 16, succeeded);
        Assert.InRange(handler.Peak, 1, 8);
        // A slot is given back when the work ends, in a continuation that can run just after the answer was sent.
        await WaitUntilAsync(async () => PrometheusText.Parse(await daemon.ScrapeAsync()).Value("plexus_daemon_requests_in_flight") == 0);
        var metrics = PrometheusText.Parse(await daemon.ScrapeAsync());
        Assert.Equal(tryAgain, metrics.Value("plexus_daemon_rejected_total", ("reason", "queue_full")));
        Assert.Equal(succeeded, metrics.Value("plexus_daemon_requests_total", ("verb", "ADD"), ("result", "success")));
        Assert.Equal(0, metrics.Value("plexus_daemon_requests_in_flight"));
        Assert.Equal(0, metrics.Value("plexus_daemon_requests_queued"));
    }

    [Fact]
    public async Task Cni_TwoCallsForOneContainer_RunOneAfterTheOtherWhileOtherContainersOverlap()
    {
        var releaseA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = new Dictionary<string, int>(StringComparer.Ordinal);
        var overlaps = new List<string>();
        var handler = new ScriptedHandler(async (call, ct) =>
        {
            lock (inside)
            {
                inside[call.ContainerId] = inside.GetValueOrDefault(call.ContainerId) + 1;
                if (inside[call.ContainerId] > 1)
                {
                    overlaps.Add($"{call.Command} {call.ContainerId}");
                }
            }
            try
            {
                await (call.ContainerId == "pod-b" ? releaseB.Task : releaseA.Task).WaitAsync(ct);
                return CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" });
            }
            finally
            {
                lock (inside)
                {
                    inside[call.ContainerId]--;
                }
            }
        });
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { MaxInFlight = 8 });

        var first = Task.Run(() => daemon.ShimAsync("ADD", "pod-a"));
        var other = Task.Run(() => daemon.ShimAsync("ADD", "pod-b"));
        await WaitUntilAsync(() => handler.Calls == 2);
        var second = Task.Run(() => daemon.ShimAsync("DEL", "pod-a"));
        // The second call for pod-a is admitted (a third slot in flight) but waits for the first. pod-b's whole call
        // then ends, a round trip through the daemon, while pod-a's first call still holds its container.
        await WaitUntilAsync(async () => PrometheusText.Parse(await daemon.ScrapeAsync()).Value("plexus_daemon_requests_in_flight") == 3);
        releaseB.SetResult();
        Assert.Equal(0, (await other).ExitCode);
        var callsWhileFirstRuns = handler.Calls;
        releaseA.SetResult();
        var outputs = await Task.WhenAll(first, second);

        Assert.Equal(2, callsWhileFirstRuns);
        Assert.Empty(overlaps);
        Assert.All(outputs, o => Assert.Equal(0, o.ExitCode));
        Assert.Equal(3, handler.Calls);
        Assert.Equal(2, handler.Peak);
    }

    [Fact]
    public async Task Cni_QueuedLongerThanQueueTimeout_GetsCode11()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" });
        });
        await using var daemon = await TestDaemon.StartAsync(handler,
            o => o with { MaxInFlight = 1, MaxQueued = 4, QueueTimeout = TimeSpan.FromMilliseconds(200) });

        var running = Task.Run(() => daemon.ShimAsync("ADD", "first"));
        await WaitUntilAsync(() => handler.Calls == 1);
        var queued = await daemon.ShimAsync("ADD", "second");
        release.SetResult();

        Assert.Equal(CniErrorCode.TryAgainLater, (int)TestDaemon.Json(queued)["code"]!);
        Assert.Contains("busy: no free slot within 0.2 s", (string?)TestDaemon.Json(queued)["msg"], StringComparison.Ordinal);
        Assert.Equal(0, (await running).ExitCode);
        Assert.Equal(1, handler.Calls);
    }

    // The request timeout counts from when plexusd has read the request: one that queued 8 s has 47 s of its 55 left,
    // so its answer comes 55 s after it arrived, before the shim's 60 s, not 8 + 55 = 63 s later.
    [Fact]
    public async Task Cni_QueuedThenTooSlow_TimedOutAtTheRequestTimeoutCountedFromArrival()
    {
        var time = new ManualTimeProvider();
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (call, ct) =>
        {
            await (call.ContainerId == "first" ? releaseFirst.Task : Task.Delay(Timeout.Infinite, ct));
            return CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" });
        });
        var (daemon, first, second) = await FirstRunsSecondQueuedAsync(handler, time, queueTimeout: TimeSpan.FromSeconds(10), requestTimeout: TimeSpan.FromSeconds(55));
        await using var stop = daemon;
        // Each request's wait for a slot starts a queue timer, the second's while the first holds the only slot.
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(10), count: 2);
        time.Advance(TimeSpan.FromSeconds(8));
        releaseFirst.SetResult();
        Assert.Equal(0, (await first).ExitCode);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(47));
        time.Advance(TimeSpan.FromSeconds(47));
        var timedOut = await second;

        Assert.Equal(CniErrorCode.TryAgainLater, (int)TestDaemon.Json(timedOut)["code"]!);
        Assert.Contains("did not finish within 55 s (8 s of it waiting for a free slot)", (string?)TestDaemon.Json(timedOut)["msg"], StringComparison.Ordinal);
        Assert.Equal(2, handler.Calls);
    }

    // A queue timeout above the request timeout would let a request wait longer than its whole budget.
    [Fact]
    public async Task Cni_QueueTimeoutAboveRequestTimeout_QueuedForAtMostTheRequestTimeout()
    {
        var time = new ManualTimeProvider();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Ignores its token: the first request keeps the only slot past its own timeout.
        var handler = new ScriptedHandler(async (_, _) =>
        {
            await release.Task;
            return CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" });
        });
        var (daemon, first, second) = await FirstRunsSecondQueuedAsync(handler, time, queueTimeout: TimeSpan.FromSeconds(30), requestTimeout: TimeSpan.FromSeconds(20));
        await using var stop = daemon;
        // The first's queue timer, its deadline and its answer's wait, then the second's queue timer.
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(20), count: 4);
        time.Advance(TimeSpan.FromSeconds(20));
        var refused = await second;
        release.SetResult();
        await first;

        Assert.Equal(CniErrorCode.TryAgainLater, (int)TestDaemon.Json(refused)["code"]!);
        Assert.Contains("busy: no free slot within 20 s", (string?)TestDaemon.Json(refused)["msg"], StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Cni_HandlerOutlivesRequestTimeout_AnswersCode11AndKeepsTheSlotUntilItEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Ignores its token on purpose: a delegate that cannot be interrupted.
        var handler = new ScriptedHandler(async (_, _) =>
        {
            await release.Task;
            return CniOutcome.Success(CniVersion.V040, null);
        });
        await using var daemon = await TestDaemon.StartAsync(handler,
            o => o with { MaxInFlight = 1, MaxQueued = 0, RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var timedOut = await daemon.ShimAsync("ADD", "slow");
        var whileStuck = await daemon.ShimAsync("ADD", "next");
        release.SetResult();
        await WaitUntilAsync(async () => PrometheusText.Parse(await daemon.ScrapeAsync()).Value("plexus_daemon_requests_in_flight") == 0);
        var afterwards = await daemon.ShimAsync("DEL", "slow");

        Assert.Contains("did not finish within 0.3 s", (string?)TestDaemon.Json(timedOut)["msg"], StringComparison.Ordinal);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)TestDaemon.Json(timedOut)["code"]!);
        Assert.Contains("busy", (string?)TestDaemon.Json(whileStuck)["msg"], StringComparison.Ordinal);
        Assert.Equal(0, afterwards.ExitCode);
        var metrics = PrometheusText.Parse(await daemon.ScrapeAsync());
        Assert.Equal(1, metrics.Value("plexus_daemon_requests_total", ("verb", "ADD"), ("result", "timeout")));
    }

    [Fact]
    public async Task Cni_HandlerAnswersTheDeadlinesCancellation_ReportedAsATimeout()
    {
        // As the meta-plugin does: the cancellation becomes an ordinary error outcome at the deadline.
        var handler = new ScriptedHandler(async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return CniOutcome.Success(CniVersion.V040, null);
            }
            catch (OperationCanceledException)
            {
                return CniOutcome.Failure(CniVersion.V040, new CniException(CniErrorCode.TryAgainLater, "plexus: ADD was cancelled"));
            }
        });
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var timedOut = await daemon.ShimAsync("ADD", "slow");

        Assert.Contains("did not finish within 0.3 s", (string?)TestDaemon.Json(timedOut)["msg"], StringComparison.Ordinal);
        var metrics = PrometheusText.Parse(await daemon.ScrapeAsync());
        Assert.Equal(1, metrics.Value("plexus_daemon_requests_total", ("verb", "ADD"), ("result", "timeout")));
    }

    [Fact]
    public async Task Drain_UnderLoad_ReadyzTurns500NewRefusedInFlightFinishSocketRemoved()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, _) =>
        {
            await release.Task;
            return CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" });
        });
        await using var daemon = await TestDaemon.StartAsync(handler, o => o with { MaxInFlight = 4 });
        using var http = daemon.UnixHttp();
        var inFlight = Enumerable.Range(0, 4).Select(i => Task.Run(() => daemon.ShimAsync("ADD", "in" + i))).ToList();
        await WaitUntilAsync(() => handler.Calls == 4);

        var drained = daemon.Server.DrainAndStopAsync("SIGTERM");
        var readyz = await http.GetAsync("/readyz");
        var refused = await daemon.ShimAsync("ADD", "late");
        release.SetResult();
        await drained;
        await daemon.Server.WaitForShutdownAsync(CancellationToken.None);
        await daemon.Server.DisposeAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, readyz.StatusCode);
        Assert.Contains("shutting down", (string?)TestDaemon.Json(refused)["msg"], StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(inFlight), o => Assert.Equal(0, o.ExitCode));
        Assert.Equal(4, handler.Calls);
        Assert.False(File.Exists(daemon.Options.SocketPath));
        var afterStop = await daemon.ShimAsync("ADD", "after");
        Assert.Contains("not running", (string?)TestDaemon.Json(afterStop)["msg"], StringComparison.Ordinal);
    }

    // STATUS asks whether ADDs can be served: a stopping plexusd answers CNI 1.1's "plugin not available", the rest "try again later".
    [Fact]
    public async Task Drain_NewStatusGetsCode50OtherVerbsCode11()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, _) =>
        {
            await release.Task;
            return CniOutcome.Success(CniVersion.V040, null);
        });
        await using var daemon = await TestDaemon.StartAsync(handler);
        var inFlight = Task.Run(() => daemon.ShimAsync("DEL", "running"));
        await WaitUntilAsync(() => handler.Calls == 1);

        var drained = daemon.Server.DrainAndStopAsync("SIGTERM");
        var status = await daemon.ShimAsync("STATUS", "new");
        var add = await daemon.ShimAsync("ADD", "new");
        var check = await daemon.ShimAsync("CHECK", "new");
        release.SetResult();
        await drained;

        Assert.Equal(0, (await inFlight).ExitCode);
        Assert.Equal((CniErrorCode.PluginNotAvailable, "plexusd is shutting down"), ((int)TestDaemon.Json(status)["code"]!, (string?)TestDaemon.Json(status)["msg"]));
        Assert.Equal(CniErrorCode.TryAgainLater, (int)TestDaemon.Json(add)["code"]!);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)TestDaemon.Json(check)["code"]!);
        Assert.Equal(1, handler.Calls);
    }

    [Theory]
    [InlineData("ADD", CniErrorCode.TryAgainLater)]
    [InlineData("STATUS", CniErrorCode.PluginNotAvailable)]
    public async Task Drain_WorkOutlivesDrainTimeout_CancelledAnsweredCode11OrForStatus50AndStopsWithinMargin(string verb, int code)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, ct) =>
        {
            using var seen = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return CniOutcome.Success(CniVersion.V040, null);
        });
        var drainTimeout = TimeSpan.FromMilliseconds(300);
        await using var daemon = await TestDaemon.StartAsync(handler,
            o => o with { RequestTimeout = TimeSpan.FromSeconds(60), DrainTimeout = drainTimeout });
        var hung = Task.Run(() => daemon.ShimAsync(verb, "hung"));
        await WaitUntilAsync(() => handler.Calls == 1);

        await StopWithinDrainPlusMarginAsync(daemon, drainTimeout);

        var output = await hung;
        Assert.True(cancelled.Task.IsCompleted, "the hung request's work was never cancelled");
        Assert.Equal(code, (int)TestDaemon.Json(output)["code"]!);
        Assert.Equal("plexusd is shutting down", (string?)TestDaemon.Json(output)["msg"]);
        Assert.False(File.Exists(daemon.Options.SocketPath));
    }

    [Fact]
    public async Task Drain_DelegateProcessOutlivesDrainTimeout_ProcessGroupKilledAndRequestAnsweredCode11()
    {
        var dir = Directory.CreateTempSubdirectory("plexusd-hung-plugin-").FullName;
        try
        {
            // The plugin and the process it starts (as bridge starts its IPAM plugin) record their pids, then hang.
            var plugin = Path.Combine(dir, "hangs");
            await File.WriteAllTextAsync(plugin, $"#!/bin/sh\necho $$ > {dir}/plugin.pid\nsleep 60 &\necho $! > {dir}/child.pid\nwait\n");
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { WaitOnCallingThread = true, Timeout = TimeSpan.FromSeconds(60) });
            var handler = new ScriptedHandler(async (call, ct) =>
            {
                await executor.ExecuteAsync(new PluginInvocation
                {
                    PluginPath = plugin, Command = "ADD", ContainerId = call.ContainerId, NetworkName = "slow", Stdin = "{}"u8.ToArray(),
                }, ct);
                return CniOutcome.Success(CniVersion.V040, null);
            });
            var drainTimeout = TimeSpan.FromMilliseconds(500);
            await using var daemon = await TestDaemon.StartAsync(handler,
                o => o with { RequestTimeout = TimeSpan.FromSeconds(60), DrainTimeout = drainTimeout });
            var hung = Task.Run(() => daemon.ShimAsync("ADD", "hung"));
            await WaitUntilAsync(() => File.Exists(Path.Combine(dir, "child.pid")) && new FileInfo(Path.Combine(dir, "child.pid")).Length > 0);
            var pids = new[] { "plugin.pid", "child.pid" }.Select(f => int.Parse(File.ReadAllText(Path.Combine(dir, f)).Trim())).ToList();
            Assert.All(pids, pid => Assert.True(Alive(pid), $"plugin process {pid} is not running before the drain"));

            await StopWithinDrainPlusMarginAsync(daemon, drainTimeout);

            Assert.Equal("plexusd is shutting down", (string?)TestDaemon.Json(await hung)["msg"]);
            // The plugin itself was reaped by the executor; the process it started died with its group (init reaps it).
            await WaitUntilAsync(() => pids.All(pid => !Alive(pid)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>SIGTERM's path; the whole stop (cancel, answers, host stop, socket removal) must fit the documented bound.</summary>
    private static async Task StopWithinDrainPlusMarginAsync(TestDaemon daemon, TimeSpan drainTimeout)
    {
        var stop = Task.Run(async () =>
        {
            await daemon.Server.DrainAndStopAsync("SIGTERM");
            await daemon.Server.WaitForShutdownAsync(CancellationToken.None);
            await daemon.Server.DisposeAsync();
        });
        await stop.WaitAsync(drainTimeout + DrainCoordinator.Margin);
    }

    /// <summary>Running or sleeping; a zombie (killed, parent not yet reaping) counts as gone.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A daemon on <paramref name="time"/> with one slot and one queue place: ADD "first" runs, ADD "second" was sent after it.</summary>
    private static async Task<(TestDaemon Daemon, Task<ShimOutput> First, Task<ShimOutput> Second)> FirstRunsSecondQueuedAsync(
        ScriptedHandler handler, ManualTimeProvider time, TimeSpan queueTimeout, TimeSpan requestTimeout)
    {
        var daemon = await TestDaemon.StartAsync(handler,
            o => o with { MaxInFlight = 1, MaxQueued = 1, QueueTimeout = queueTimeout, RequestTimeout = requestTimeout }, time: time);
        var first = Task.Run(() => daemon.ShimAsync("ADD", "first"));
        await WaitUntilAsync(() => handler.Calls == 1);
        return (daemon, first, Task.Run(() => daemon.ShimAsync("ADD", "second")));
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
