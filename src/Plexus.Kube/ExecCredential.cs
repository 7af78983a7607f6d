using System.Globalization;
using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Kube;

/// <summary>
/// The credentials an exec credential plugin printed: an <c>ExecCredential</c> object of the API version the
/// kubeconfig asked for, with a token and/or a client certificate and key (PEM), and when they stop working
/// (<c>status.expirationTimestamp</c>; null: no stated end).
/// </summary>
internal sealed record ExecCredential(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>The credentials in <paramref name="stdout"/>, or null when it is anything else (never echoed: it may hold a token).</summary>
    public static ExecCredential? Parse(ReadOnlySpan<byte> stdout, string apiVersion)
    {
        try
        {
            // CniJson refuses repeated keys while parsing (a plain JsonNode throws ArgumentException on first access).
            var root = CniJson.ParseObject(stdout, "the exec credential plugin's output");
            if (JsonScalars.String(root["kind"]) != "ExecCredential"
                || JsonScalars.String(root["apiVersion"]) != apiVersion
                || root["status"] is not JsonObject status
                || !TryExpiry(status["expirationTimestamp"], out var expiresAt))
            {
                return null;
            }
            var credential = new ExecCredential(JsonScalars.String(status["token"]),
                JsonScalars.String(status["clientCertificateData"]), JsonScalars.String(status["clientKeyData"]), expiresAt);
            return !string.IsNullOrEmpty(credential.Token)
                || (!string.IsNullOrEmpty(credential.ClientCertificatePem) && !string.IsNullOrEmpty(credential.ClientKeyPem))
                ? credential
                : null;
        }
        // Its message is dropped: it may quote what the plugin printed.
        catch (Plexus.Cni.CniException)
        {
            return null;
        }
    }

    // An RFC 3339 time, as client-go decodes it; a value that is not one makes the whole output unusable there too.
    private static bool TryExpiry(JsonNode? node, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        if (node is null)
        {
            return true;
        }
        var ok = DateTimeOffset.TryParse(JsonScalars.String(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time);
        expiresAt = ok ? time : null;
        return ok;
    }
}
