using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Selection;

namespace Plexus.Core.Planning;

/// <summary>
/// Builds the capability args of one attachment from its selection and enforces the NPWG rule:
/// a requested <c>ips</c>, <c>mac</c>, <c>portMappings</c>, <c>bandwidth</c> or
/// <c>infiniband-guid</c> fails when no plugin of the network declares the capability
/// (Multus drops them silently).
/// </summary>
internal static class CapabilityArgsBuilder
{
    public const string DeviceInfoFileCapability = "CNIDeviceInfoFile";

    public static JsonObject? Build(NetworkRequest request, JsonObject? runtimeConfig, string? deviceId, string? deviceInfoFile = null)
    {
        var args = runtimeConfig is null ? new JsonObject() : (JsonObject)runtimeConfig.DeepClone();
        var s = request.Selection;
        var missing = new List<string>();
        if (s is not null)
        {
            Put(args, request.Network, "ips", "ips", s.Ips is { Count: > 0 } ? ToNode(s.Ips, CoreJsonContext.Default.ListString) : null, missing);
            Put(args, request.Network, "mac", "mac", string.IsNullOrEmpty(s.Mac) ? null : JsonValue.Create(s.Mac), missing);
            Put(args, request.Network, "portMappings", "portMappings",
                s.PortMappings is { Count: > 0 } ? ToNode(s.PortMappings, CoreJsonContext.Default.ListPortMapping) : null, missing);
            Put(args, request.Network, "bandwidth", "bandwidth", s.Bandwidth is null ? null : ToNode(s.Bandwidth, CoreJsonContext.Default.Bandwidth), missing);
            Put(args, request.Network, "infiniband-guid", "infinibandGUID",
                string.IsNullOrEmpty(s.InfinibandGuid) ? null : JsonValue.Create(s.InfinibandGuid), missing);
        }
        if (missing.Count > 0)
        {
            throw CniException.InvalidConfig(
                $"network {request.Network.DisplayName}: the pod asks for {string.Join(", ", missing)} but no plugin of the network declares the matching capability",
                "add \"capabilities\": {\"<name>\": true} to a plugin that honours it (for example static IPAM for ips, tuning for mac), or drop the key from the annotation");
        }
        if (!string.IsNullOrEmpty(deviceId))
        {
            args["deviceID"] = deviceId;
        }
        if (!string.IsNullOrEmpty(deviceInfoFile))
        {
            args[DeviceInfoFileCapability] = deviceInfoFile;
        }
        return args.Count == 0 ? null : args;
    }

    private static void Put(JsonObject args, DelegateNetwork network, string selectionKey, string capability, JsonNode? value, List<string> missing)
    {
        if (value is null)
        {
            return;
        }
        if (!network.DeclaresCapability(capability))
        {
            missing.Add($"\"{selectionKey}\" (capability \"{capability}\")");
            return;
        }
        args[capability] = value;
    }

    private static JsonNode? ToNode<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToNode(value, typeInfo);
}
