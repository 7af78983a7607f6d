using System.Runtime.InteropServices;

namespace Plexus.Kube;

/// <summary>
/// Where the OpenSSL linked into Plexus looks for system CA certificates, set in the native environment
/// (which OpenSSL reads; .NET's managed copy, and so the delegates' environment, stays as it was).
/// </summary>
internal static partial class SystemTrustStore
{
    private const string FileVariable = "SSL_CERT_FILE";
    private const string DirectoryVariable = "SSL_CERT_DIR";

    /// <summary>
    /// The CA bundles of the common Linux distributions, in the order Go's crypto/x509 (and so Multus) tries them.
    /// The linked OpenSSL only knows the locations of the distribution it was built on.
    /// </summary>
    internal static readonly IReadOnlyList<string> KnownBundles =
    [
        "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Gentoo, Arch
        "/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL 6
        "/etc/ssl/ca-bundle.pem",                            // openSUSE
        "/etc/pki/tls/cacert.pem",                           // OpenELEC
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7 and later
        "/etc/ssl/cert.pem",                                 // Alpine
    ];

    /// <summary>
    /// Keeps OpenSSL's system CA bundle out of a process that trusts only the kubeconfig's CA.
    /// .NET loads the whole system store (hundreds of PEM certificates) on the first chain it builds
    /// even when the chain policy trusts a custom root only: about 60 ms of CPU in every plugin
    /// process, more than the delegates themselves. Pointing OpenSSL's default locations at nothing
    /// leaves that trust decision unchanged and skips the load. An operator's SSL_CERT_FILE/SSL_CERT_DIR
    /// are overridden too (in this process only): under custom-root trust they cannot change the
    /// decision either, and node environments often set them to the full system bundle.
    /// Call before the first TLS handshake, and only when the chain policy trusts custom roots alone.
    /// </summary>
    public static void SkipLoading()
    {
        _ = SetEnv(FileVariable, "/dev/null", overwrite: 1);
        _ = SetEnv(DirectoryVariable, "/dev/null", overwrite: 1);
    }

    /// <summary>
    /// For a server checked against the system CAs (a kubeconfig without certificate-authority): points OpenSSL
    /// at this node's bundle, unless the operator chose one with SSL_CERT_FILE or SSL_CERT_DIR.
    /// </summary>
    public static void UseNodeBundle()
    {
        if (NodeBundle(Environment.GetEnvironmentVariable, File.Exists) is { } bundle)
        {
            _ = SetEnv(FileVariable, bundle, overwrite: 0);
        }
    }

    /// <summary>The first of <see cref="KnownBundles"/> that exists; null when the environment already names one, or none exists.</summary>
    internal static string? NodeBundle(Func<string, string?> getEnvironmentVariable, Func<string, bool> exists) =>
        !string.IsNullOrEmpty(getEnvironmentVariable(FileVariable)) || !string.IsNullOrEmpty(getEnvironmentVariable(DirectoryVariable))
            ? null
            : KnownBundles.FirstOrDefault(exists);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
