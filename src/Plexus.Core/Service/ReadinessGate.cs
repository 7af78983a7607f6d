using Plexus.Cni;

namespace Plexus.Core.Service;

/// <summary>Waits for the readiness indicator file, as Multus does: poll every second, give up after 45.</summary>
internal static class ReadinessGate
{
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    /// <summary>The one readiness test, shared by ADD's wait and STATUS's immediate answer.</summary>
    public static bool IsReady(string path) => File.Exists(path);

    public static async Task WaitAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Limit;
        while (!IsReady(path))
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw new CniException(CniErrorCode.TryAgainLater,
                    $"the readiness indicator file {path} did not appear within {Limit.TotalSeconds:0} s",
                    "the cluster network is not ready yet; the runtime will retry");
            }
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
