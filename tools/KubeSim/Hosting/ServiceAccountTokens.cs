using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;

namespace Plexus.KubeSim.Hosting;

/// <summary>
/// Service account tokens (TokenRequest, kubectl create token): JWTs with the claims kube-apiserver
/// puts in them, signed with a key the simulator makes at start (HS256 where the real server uses
/// RS256; clients never verify them). A token authenticates as its service account while it has not
/// expired, names the API server's audience, and its service account (and bound object) still
/// exist with the uid it was issued for.
/// </summary>
internal sealed class ServiceAccountTokens
{
    /// <summary>The API server's audience and issuer (kube-apiserver's default --service-account-issuer).</summary>
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private const string CredentialIdKey = "authentication.kubernetes.io/credential-id";

    private static readonly string Header = Base64Url("""{"alg":"HS256","kid":"kube-sim"}"""u8);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>A signed token and its claims' expiry.</summary>
    public (string Token, DateTimeOffset Expires) Issue(JsonObject serviceAccount, IReadOnlyList<string> audiences, long lifetimeSeconds,
        JsonObject? boundObject, DateTimeOffset now)
    {
        var metadata = serviceAccount["metadata"]!;
        var ns = ObjectLifecycle.Text(metadata["namespace"]);
        var name = ObjectLifecycle.Text(metadata["name"]);
        var kubernetes = new JsonObject
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = ObjectLifecycle.Text(metadata["uid"]) },
        };
        if (boundObject is not null)
        {
            kubernetes[ObjectLifecycle.Text(boundObject["kind"]).ToLowerInvariant()] = new JsonObject
            {
                ["name"] = ObjectLifecycle.Text(boundObject["metadata"]?["name"]),
                ["uid"] = ObjectLifecycle.Text(boundObject["metadata"]?["uid"]),
            };
        }
        var expires = now.AddSeconds(lifetimeSeconds);
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = $"system:serviceaccount:{ns}:{name}",
        };
        var signed = Header + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        return (signed + "." + Base64Url(Sign(signed)), expires);
    }

    /// <summary>
    /// The service account a token stands for, or null when it is not one of this simulator's
    /// tokens, has expired, is for another audience, or its service account or bound object is
    /// gone or was recreated. <paramref name="lookUp"/> finds a live object by kind, namespace and name.
    /// </summary>
    public UserInfo? Authenticate(string token, DateTimeOffset now, Func<string, string, string, JsonObject?> lookUp)
    {
        if (Claims(token) is not { } claims) return null;
        var seconds = now.ToUnixTimeSeconds();
        if (ObjectLifecycle.Number(claims["exp"]) <= seconds || ObjectLifecycle.Number(claims["nbf"]) > seconds + 1) return null;
        if ((claims["aud"] as JsonArray)?.Any(a => ObjectLifecycle.Text(a) == Issuer) != true) return null;
        if (claims["kubernetes.io"] is not JsonObject kubernetes) return null;
        var ns = ObjectLifecycle.Text(kubernetes["namespace"]);
        var name = ObjectLifecycle.Text(kubernetes["serviceaccount"]?["name"]);
        var uid = ObjectLifecycle.Text(kubernetes["serviceaccount"]?["uid"]);
        if (!IsLive(lookUp("ServiceAccount", ns, name), uid)) return null;
        foreach (var kind in new[] { "Pod", "Secret", "Node" })
        {
            if (kubernetes[kind.ToLowerInvariant()] is JsonObject bound
                && !IsLive(lookUp(kind, kind == "Node" ? "" : ns, ObjectLifecycle.Text(bound["name"])), ObjectLifecycle.Text(bound["uid"])))
            {
                return null;
            }
        }
        return new UserInfo($"system:serviceaccount:{ns}:{name}", uid,
            ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
            new Dictionary<string, string> { [CredentialIdKey] = "JTI=" + ObjectLifecycle.Text(claims["jti"]) });
    }

    private JsonObject? Claims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Header) return null;
        byte[] signature, payload;
        try
        {
            signature = FromBase64Url(parts[2]);
            payload = FromBase64Url(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(parts[0] + "." + parts[1]))) return null;
        // Signed by this simulator, so the payload is the JSON it wrote.
        return JsonNode.Parse(payload) as JsonObject;
    }

    private static bool IsLive(JsonObject? obj, string uid) =>
        obj is not null && obj["metadata"]?["deletionTimestamp"] is null && ObjectLifecycle.Text(obj["metadata"]?["uid"]) == uid;

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch
        {
            2 => "==",
            3 => "=",
            1 => throw new FormatException("not base64url"),
            _ => "",
        };
        return Convert.FromBase64String(padded);
    }
}
