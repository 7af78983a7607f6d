using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Json;
using Plexus.Core.Planning;

namespace Plexus.Core.Cache;

/// <summary>
/// The delegate cache Multus (3.x and 4.x, thin and thick) saves to <c>&lt;cniDir&gt;/&lt;containerID&gt;</c> on ADD, read so
/// that a node switched in place from Multus deletes the pods Multus added. The file is Go's JSON of Multus's
/// <c>[]*DelegateNetConf</c>: an array in attachment order, the cluster network first, each element with
/// <c>Bytes</c> (the exact conf or conflist Multus ran, base64), <c>Name</c> (<c>namespace/name</c> for a NAD) and
/// the selection's <c>ifnameRequest</c>, <c>ipRequest</c>, <c>macRequest</c>, <c>infinibandGUIDRequest</c> and
/// <c>deviceID</c>; its other members (<c>Conf</c>, <c>ConfList</c>, <c>IsFilterV4Gateway</c>, …) only restate
/// <c>Bytes</c> or matter to ADD alone. Plexus writes this format only to keep such a pod's cache in step with a
/// hot-plug (<see cref="WithHotPlugged"/>, <see cref="Without"/>): the elements Multus wrote go back as they were read.
/// </summary>
internal sealed record MultusDelegateCache(IReadOnlyList<MultusDelegate> Delegates)
{
    private const string Remedy = "DEL falls back to the libcni result caches when the delegate cache is unreadable";

    /// <summary>
    /// The runtimeConfig keys Multus's <c>RuntimeConfig</c> type holds: the only ones of the runtime's it hands to
    /// delegates (as capability args), and only when not empty.
    /// </summary>
    private static readonly string[] MultusRuntimeConfigKeys = ["portMappings", "bandwidth", "ips", "mac", "infinibandGUID", "deviceID", "CNIDeviceInfoFile"];

    /// <summary>Plexus's own cache is a JSON object; Multus's is an array.</summary>
    public static bool IsMultusFormat(ReadOnlySpan<byte> bytes)
    {
        var content = bytes.TrimStart(" \t\r\n"u8);
        return !content.IsEmpty && content[0] == (byte)'[';
    }

    /// <summary>The cache in <paramref name="bytes"/>; a <see cref="CniException"/> (code 6) says what is wrong with it.</summary>
    public static MultusDelegateCache Decode(ReadOnlySpan<byte> bytes, string path)
    {
        var what = $"Multus delegate cache {path}";
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(CniJson.WithValidUtf8(bytes), documentOptions: CniJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw CniException.Decode($"the {what} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", Remedy);
        }
        // Multus always saves at least the cluster network, and its DEL cannot read an empty list either.
        if (root is not JsonArray { Count: > 0 } elements)
        {
            throw CniException.Decode($"the {what} must be a non-empty JSON array of delegates", Remedy);
        }
        return new MultusDelegateCache([.. elements.Select((element, i) => element is JsonObject json
            ? Delegate(json, $"$[{i}]", i, what)
            : throw CniException.Decode($"failed to decode the {what} at $[{i}]: expected an object", Remedy))]);
    }

    /// <summary>The cache as Multus's Go JSON: the array of its elements, compact.</summary>
    public byte[] Encode() => CniJson.ToBytes(new JsonArray([.. Delegates.Select(d => (JsonNode)d.Element.DeepClone())]));

    /// <summary>
    /// The cache with <paramref name="hotPlugged"/> (one network hot-plugged into the pod) as its last element, replacing
    /// any earlier record of that network on that interface. The element is shaped as Multus's own ADD saves one:
    /// <c>ConfList</c> and <c>Bytes</c> the conflist it ran (the plugins in <c>ConfList</c> are what tell Multus's DEL to
    /// run <c>Bytes</c> as a conflist), its interface as <c>ifnameRequest</c>, and its ips and mac, the only requests a
    /// hot-plug takes, as <c>ipRequest</c> and <c>macRequest</c>; so the pod's DEL deletes it on that interface with
    /// those capability args.
    /// </summary>
    public MultusDelegateCache WithHotPlugged(Attachment hotPlugged)
    {
        var conf = hotPlugged.Conf;
        var element = new JsonObject
        {
            ["ConfList"] = conf.DeepClone(),
            ["Name"] = hotPlugged.Network,
            ["ifnameRequest"] = hotPlugged.IfName,
        };
        if (hotPlugged.CapabilityArgs?["ips"] is { } ips)
        {
            element["ipRequest"] = ips.DeepClone();
        }
        if (hotPlugged.CapabilityArgs?["mac"] is { } mac)
        {
            element["macRequest"] = mac.DeepClone();
        }
        element["Bytes"] = Convert.ToBase64String(CniJson.ToBytes(conf));
        return new MultusDelegateCache([.. Without(hotPlugged).Delegates, Delegate(element, "$", Delegates.Count, $"hot-plugged element for {hotPlugged.Network}")]);
    }

    /// <summary>
    /// The cache without the elements of <paramref name="attachment"/>: the same conf name (libcni's network name, which
    /// keys the attachment's result cache with the interface) on the same interface, every one of them as in
    /// <see cref="DelegateCache.Without"/>; the same cache when it has none. The cluster network (the first element, on
    /// whatever interface the runtime names) is never taken out. The elements after the first removed one keep their
    /// interfaces: one that had its <c>net&lt;index&gt;</c> by position gets that name as its <c>ifnameRequest</c>.
    /// </summary>
    public MultusDelegateCache Without(Attachment attachment)
    {
        var removed = Delegates.Index().Skip(1)
            .Where(p => attachment.IsCachedAs(p.Item.ConfName, p.Item.IfNameAt(p.Index)))
            .Select(p => p.Index)
            .ToHashSet();
        if (removed.Count == 0)
        {
            return this;
        }
        var firstRemoved = removed.Min();
        return new MultusDelegateCache([.. Delegates.Index().Where(p => !removed.Contains(p.Index)).Select(p =>
            p.Index < firstRemoved || p.Item.IfnameRequest is { Length: > 0 } ? p.Item : p.Item.WithIfnameRequest(p.Item.IfNameAt(p.Index)))]);
    }

    private static MultusDelegate Delegate(JsonObject element, string path, int index, string what)
    {
        var fields = new JsonFields(element, path, what, Remedy);
        byte[] raw;
        try
        {
            // Go writes a []byte as standard base64.
            raw = Convert.FromBase64String(fields.Required("Bytes"));
        }
        catch (FormatException)
        {
            throw CniException.Decode($"failed to decode the {what} at {fields.Path}.Bytes: not base64", Remedy);
        }
        var conf = CniJson.ParseObject(raw, $"the {what} at {fields.Path}.Bytes");
        return new MultusDelegate
        {
            Element = element,
            Name = fields.String("Name") is { Length: > 0 } name ? name : JsonScalars.String(conf["name"]) ?? $"delegate {index}",
            Conf = conf,
            IfnameRequest = fields.String("ifnameRequest"),
            IpRequest = fields.Strings("ipRequest"),
            MacRequest = fields.String("macRequest"),
            InfinibandGuidRequest = fields.String("infinibandGUIDRequest"),
            DeviceId = fields.String("deviceID"),
        };
    }

    /// <summary>
    /// The attachments as Multus's DEL derives them: the first delegate is the cluster network; a delegate's interface
    /// is its <c>ifnameRequest</c>, else <paramref name="clusterIfName"/> for the first, else <c>net&lt;index&gt;</c>.
    /// Every delegate gets the runtime's <paramref name="runtimeConfig"/> (Multus's keys only) as capability args, the
    /// others with their own ips, mac, infiniband GUID and device id over it; a device id names the NPWG device-info
    /// file. A conflist without cniVersion gets <paramref name="metaCniVersion"/>, as Multus's DEL does.
    /// </summary>
    public List<Attachment> ToAttachments(string clusterIfName, string? metaCniVersion, JsonObject? runtimeConfig, Func<string, string, string> deviceInfoFileOf) =>
        [.. Delegates.Select((d, i) =>
        {
            var ifName = i == 0 && d.IfnameRequest is not { Length: > 0 } ? clusterIfName : d.IfNameAt(i);
            var args = CapabilityArgs(d, isClusterNetwork: i == 0, runtimeConfig);
            var deviceId = JsonScalars.String(args["deviceID"]);
            var deviceInfoFile = string.IsNullOrEmpty(deviceId) ? null : deviceInfoFileOf(d.Name, ifName);
            if (deviceInfoFile is not null)
            {
                args[CapabilityArgsBuilder.DeviceInfoFileCapability] = deviceInfoFile;
            }
            return new Attachment
            {
                Index = i,
                Network = d.Name,
                IfName = ifName,
                Conf = DelegateConfList.Of(WithCniVersion(d.Conf, metaCniVersion)),
                CapabilityArgs = args.Count == 0 ? null : args,
                DeviceId = deviceInfoFile is null ? null : deviceId,
                DeviceInfoFile = deviceInfoFile,
            };
        })];

    private static JsonObject WithCniVersion(JsonObject conf, string? metaCniVersion)
    {
        var copy = (JsonObject)conf.DeepClone();
        if (copy.ContainsKey("plugins") && string.IsNullOrEmpty(JsonScalars.String(copy["cniVersion"])) && !string.IsNullOrEmpty(metaCniVersion))
        {
            copy["cniVersion"] = metaCniVersion;
        }
        return copy;
    }

    private static JsonObject CapabilityArgs(MultusDelegate d, bool isClusterNetwork, JsonObject? runtimeConfig)
    {
        var args = new JsonObject();
        foreach (var key in MultusRuntimeConfigKeys)
        {
            PutIfSet(args, key, runtimeConfig?[key]?.DeepClone());
        }
        if (!isClusterNetwork)
        {
            PutIfSet(args, "ips", d.IpRequest is null ? null : new JsonArray([.. d.IpRequest.Select(ip => (JsonNode?)JsonValue.Create(ip))]));
            PutIfSet(args, "mac", JsonValue.Create(d.MacRequest));
            PutIfSet(args, "infinibandGUID", JsonValue.Create(d.InfinibandGuidRequest));
            PutIfSet(args, "deviceID", JsonValue.Create(d.DeviceId));
        }
        return args;
    }

    private static void PutIfSet(JsonObject args, string key, JsonNode? value)
    {
        var empty = value switch
        {
            null => true,
            JsonArray array => array.Count == 0,
            JsonValue scalar => scalar.GetValueKind() == JsonValueKind.String && string.IsNullOrEmpty(JsonScalars.String(scalar)),
            _ => false,
        };
        if (!empty)
        {
            args[key] = value;
        }
    }
}

/// <summary>One element of Multus's delegate cache (the members DEL needs).</summary>
internal sealed record MultusDelegate
{
    /// <summary>The element as read, every member Multus wrote in it: what goes back to disk when the cache is edited.</summary>
    public required JsonObject Element { get; init; }

    /// <summary><c>namespace/name</c> for a NAD, the conf's name otherwise.</summary>
    public required string Name { get; init; }

    /// <summary>The conf or conflist Multus ran (its <c>Bytes</c>), device id and <c>args.cni</c> already in it.</summary>
    public required JsonObject Conf { get; init; }

    public string? IfnameRequest { get; init; }

    public IReadOnlyList<string>? IpRequest { get; init; }

    public string? MacRequest { get; init; }

    public string? InfinibandGuidRequest { get; init; }

    public string? DeviceId { get; init; }

    /// <summary>The conf's own name (libcni's network name).</summary>
    public string? ConfName => JsonScalars.String(Conf["name"]);

    /// <summary>The interface of the element at <paramref name="index"/> other than the cluster network: requested, else <c>net&lt;index&gt;</c>.</summary>
    public string IfNameAt(int index) => IfnameRequest is { Length: > 0 } requested ? requested : $"net{index}";

    /// <summary>This element with its interface fixed by name, so that it no longer depends on its position.</summary>
    public MultusDelegate WithIfnameRequest(string ifName)
    {
        var element = (JsonObject)Element.DeepClone();
        element["ifnameRequest"] = ifName;
        return this with { Element = element, IfnameRequest = ifName };
    }
}
