using System.Text.Json.Serialization;
using Plexus.Cni.Skel;

namespace Plexus.Cni.Json;

/// <summary>
/// The one source-generated serializer context of Plexus.Cni (NativeAOT: no reflection). Metadata only: the fast path's
/// static property names are encoded with the default encoder, whose type initializer fills a table for all of Unicode
/// in every plugin process; the options' MinimalJsonEncoder encodes them instead.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CniErrorWire))]
internal sealed partial class CniJsonContext : JsonSerializerContext;
