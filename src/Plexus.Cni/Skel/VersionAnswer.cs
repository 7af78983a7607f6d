using System.Buffers;
using System.Text.Json;
using Plexus.Cni.Json;

namespace Plexus.Cni.Skel;

/// <summary>
/// The VERSION answer, <c>{"cniVersion","supportedVersions"}</c>, written directly: VERSION is the
/// call a runtime makes most for its start-up budget, and the serializer's per-type setup would
/// double its cost.
/// </summary>
public static class VersionAnswer
{
    /// <summary>
    /// Answers a VERSION call whose stdin was <paramref name="request"/>. Spec 1.1: the answer's cniVersion is the
    /// one given on input (the last, when the key repeats, as the runtime reads it); when that is absent, unreadable or
    /// not one of <paramref name="supported"/>, the highest supported version answers instead (an answer is always
    /// given: the runtime is asking what to speak).
    /// </summary>
    public static byte[] Encode(IReadOnlyCollection<CniVersion> supported, ReadOnlySpan<byte> request)
    {
        ArgumentNullException.ThrowIfNull(supported);
        // An empty string is no version given (libcni's 0.1.0 default is for configs, not for this answer).
        var answered = CniVersionField.ReadText(request) is { Length: > 0 } text && CniVersion.TryParse(text, out var requested)
            && supported.Contains(requested)
            ? requested
            : supported.Max();
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("cniVersion", answered.ToString());
            json.WriteStartArray("supportedVersions");
            foreach (var version in supported)
            {
                json.WriteStringValue(version.ToString());
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
