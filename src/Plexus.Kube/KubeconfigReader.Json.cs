using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Exceptions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Plexus.Kube;

internal static partial class KubeconfigReader
{
    /// <summary>
    /// Linux refuses to start a program with an environment string over 128 KiB (MAX_ARG_STRLEN); a larger
    /// extension could never reach the plugin, and aliases could otherwise expand a small file without bound.
    /// </summary>
    internal const int MaxExtensionJsonBytes = 128 * 1024;

    private const int MaxExtensionDepth = 64;

    /// <summary>
    /// A YAML value as JSON, the way client-go's YAML library converts a kubeconfig: maps and lists as they are, quoted
    /// scalars as strings, plain scalars resolved as YAML 1.1 reads them (null, true/false/yes/no/on/off and their
    /// variants, integers in decimal, hex, octal or binary, decimal floats), anything else a string. The infinities and
    /// NaN, which JSON cannot hold, and timestamps stay text. Errors name the shape, never a value.
    /// </summary>
    private static byte[] ExtensionJson(YamlNode extension)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Plexus.Cni.Json.MinimalJsonEncoder.Instance }))
        {
            WriteJson(json, extension, 0);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteJson(Utf8JsonWriter json, YamlNode? node, int depth)
    {
        if (depth > MaxExtensionDepth)
        {
            throw new KubeConfigException($"the \"{KubeconfigClusterEndpoint.ExecExtensionName}\" extension nests deeper than {MaxExtensionDepth} levels (a recursive alias?)");
        }
        if (json.BytesCommitted + json.BytesPending > MaxExtensionJsonBytes)
        {
            throw new KubeConfigException($"the \"{KubeconfigClusterEndpoint.ExecExtensionName}\" extension is larger than {MaxExtensionJsonBytes / 1024} KiB as JSON, more than an exec plugin's environment can carry");
        }
        switch (node)
        {
            case null:
                json.WriteNullValue();
                break;
            case YamlMappingNode mapping:
                json.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    json.WritePropertyName(key is YamlScalarNode { Value: { } name } ? name : throw new KubeConfigException("a map key must be a string"));
                    WriteJson(json, IsNull(value) ? null : value, depth + 1);
                }
                json.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                json.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    WriteJson(json, IsNull(item) ? null : item, depth + 1);
                }
                json.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(json, scalar);
                break;
            default:
                throw new KubeConfigException($"the \"{KubeconfigClusterEndpoint.ExecExtensionName}\" extension holds a YAML node that is not a map, list or scalar");
        }
    }

    private static void WriteScalar(Utf8JsonWriter json, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            json.WriteStringValue(text);
        }
        else if (IsNull(scalar))
        {
            json.WriteNullValue();
        }
        else if (YamlBoolean(text) is { } boolean)
        {
            json.WriteBooleanValue(boolean);
        }
        else if (YamlInteger(text.Replace("_", "", StringComparison.Ordinal)) is var (negative, magnitude))
        {
            if (negative)
            {
                json.WriteNumberValue(magnitude == NegativeLimit ? long.MinValue : -(long)magnitude);
            }
            else
            {
                json.WriteNumberValue(magnitude);
            }
        }
        else if (YamlFloat(text.Replace("_", "", StringComparison.Ordinal)) is { } number)
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteStringValue(text);
        }
    }

    private static bool? YamlBoolean(string text) => text switch
    {
        "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON" => true,
        "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF" => false,
        _ => null,
    };

    // An integer as Go's ParseInt/ParseUint with base 0 read it (underscores already gone): a sign, then 0x, 0o or 0b,
    // or a leading 0 for octal.
    private static (bool Negative, ulong Magnitude)? YamlInteger(string text)
    {
        var negative = text.StartsWith('-');
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        var (radix, body) = digits.Length > 1 && digits[0] == '0'
            ? char.ToLowerInvariant(digits[1]) switch
            {
                'x' => (16, digits[2..]),
                'o' => (8, digits[2..]),
                'b' => (2, digits[2..]),
                _ => (8, digits[1..]),
            }
            : (10, digits);
        if (body.Length == 0)
        {
            return null;
        }
        ulong magnitude = 0;
        foreach (var c in body)
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : radix;
            if (digit >= radix || magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return null;
            }
            magnitude = magnitude * (ulong)radix + (ulong)digit;
        }
        return negative && magnitude > NegativeLimit ? null : (negative, magnitude);
    }

    // The magnitude of long.MinValue: a negative integer beyond it is no int64 (Go then tries it as a float).
    private const ulong NegativeLimit = (ulong)long.MaxValue + 1;

    // A decimal float as YAML 1.1 writes one; one too large for a double (infinite) stays text, as Go's ParseFloat refuses it.
    private static double? YamlFloat(string text) =>
        YamlFloatSyntax().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloatSyntax();
}
