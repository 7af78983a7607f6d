using System.Text.Json;
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
    public static ExecCredential? Parse(string stdout, string apiVersion)
    {
        try
        {
            if (JsonNode.Parse(stdout) is not JsonObject root
                || JsonScalars.String(root["kind"]) != "ExecCredential"
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
        catch (JsonException)
        {
            return null;
        }
    }
}
