using System.Runtime.InteropServices;

namespace Plexus.Kube;

/// <summary>
/// Keeps OpenSSL's system CA bundle out of a process that trusts only the kubeconfig's CA.
/// .NET loads the whole system store (hundreds of PEM certificates) on the first chain it builds
/// even when the chain policy trusts a custom root only: about 60 ms of CPU in every plugin
/// process, more than the delegates themselves. Pointing OpenSSL's default locations at nothing
/// leaves that trust decision unchanged and skips the load. An operator's SSL_CERT_FILE/SSL_CERT_DIR
/// are overridden too (in this process only): under custom-root trust they cannot change the
/// decision either, and node environments often set them to the full system bundle.
/// </summary>
internal static partial class SystemTrustStore
{
    private const string FileVariable = "SSL_CERT_FILE";
    private const string DirectoryVariable = "SSL_CERT_DIR";

    /// <summary>Call before the first TLS handshake, and only when the chain policy trusts custom roots alone.</summary>
    public static void SkipLoading()
    {
        // The native environment, which OpenSSL reads; .NET's managed copy (and so the delegates' environment) stays as it was.
        _ = SetEnv(FileVariable, "/dev/null", overwrite: 1);
        _ = SetEnv(DirectoryVariable, "/dev/null", overwrite: 1);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
