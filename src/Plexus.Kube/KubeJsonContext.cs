using System.Text.Json.Serialization;

namespace Plexus.Kube;

/// <summary>
/// The assembly's source-generated JSON context: the custom resources the AOT client cannot
/// describe itself. <see cref="KubeClientFactory"/> registers it on the client's JSON options.
/// </summary>
[JsonSerializable(typeof(NadResource))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
