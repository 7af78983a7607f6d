using Plexus.Core.Ports;

namespace Plexus.Core.Tests.Service;

/// <summary>In-memory pods and NADs that count every request, as the API server would see them.</summary>
internal sealed class FakeKubernetes : IPodClient, INetworkAttachmentClient
{
    public Dictionary<PodRef, PodInfo> Pods { get; } = [];

    public Dictionary<(string, string), NetworkAttachmentDefinition> Nads { get; } = [];

    public List<string> Requests { get; } = [];

    public List<string> StatusWrites { get; } = [];

    public List<PodEvent> Events { get; } = [];

    public Queue<StatusWriteOutcome> NextStatusOutcomes { get; } = new();

    /// <summary>The answer to a status write whose UID is not the pod's: kube-apiserver's 422, or a 409 to check Plexus does not rely on the code.</summary>
    public StatusWriteOutcome UidMismatchOutcome { get; set; } = StatusWriteOutcome.Refused;

    /// <summary>Runs inside every NAD GET, before the answer (on the thread that asked).</summary>
    public Action? DuringNadGet { get; set; }

    /// <summary>Runs inside every event write, before the caller's token is checked (as an HTTP request would).</summary>
    public Action? DuringEvent { get; set; }

    /// <summary>Runs inside the ports' connect-ahead (on the thread that called it).</summary>
    public Action? DuringConnectAhead { get; set; }

    public KubernetesPorts Ports => new(this, this)
    {
        ConnectAhead = _ =>
        {
            Requests.Add("connect");
            DuringConnectAhead?.Invoke();
        },
    };

    public void AddNad(string ns, string name, string config) =>
        Nads[(ns, name)] = new NetworkAttachmentDefinition { Namespace = ns, Name = name, Config = config };

    public Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken)
    {
        Requests.Add($"get pod {pod}");
        return Task.FromResult(new PodLookup(Pods.GetValueOrDefault(pod)));
    }

    public Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken)
    {
        Requests.Add($"patch status {pod}");
        // The API server refuses a patch whose metadata.uid is not the pod's (422, the uid is immutable).
        if (uid is not null && Pods.TryGetValue(pod, out var stored) && stored.Uid != uid)
        {
            return Task.FromResult(UidMismatchOutcome);
        }
        StatusWrites.Add(networkStatusJson);
        return Task.FromResult(NextStatusOutcomes.TryDequeue(out var outcome) ? outcome : StatusWriteOutcome.Written);
    }

    public Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken)
    {
        Requests.Add($"create event {pod}");
        DuringEvent?.Invoke();
        cancellationToken.ThrowIfCancellationRequested();
        Events.Add(podEvent);
        return Task.CompletedTask;
    }

    public Task<NadLookup> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        Requests.Add($"get nad {@namespace}/{name}");
        DuringNadGet?.Invoke();
        return Task.FromResult(new NadLookup(Nads.GetValueOrDefault((@namespace, name))));
    }
}
