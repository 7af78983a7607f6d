using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Kube;

/// <summary>
/// The credentials an exec credential plugin printed: an <c>ExecCredential</c> object of the API version the
/// kubeconfig asked for, with a token and/or a client certificate and key (PEM).
/// </summary>
internal sealed record ExecCredential(string? Token, string? ClientCertificatePem, string? ClientKeyPem)
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
                || root["status"] is not JsonObject status)
            {
                return null;
            }
            var credential = new ExecCredential(JsonScalars.String(status["token"]),
                JsonScalars.String(status["clientCertificateData"]), JsonScalars.String(status["clientKeyData"]));
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
}
