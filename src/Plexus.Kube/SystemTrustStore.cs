using System.Runtime.InteropServices;

namespace Plexus.Kube;

/// <summary>
/// Keeps OpenSSL's system CA bundle out of a process that trusts only the kubeconfig's CA.
/// .NET loads the whole system store (hundreds of PEM certificates) on the first chain it builds
/// even when the chain policy trusts a custom root only: about 60 ms of CPU in every plugin
/// process, more than the delegates themselves. Pointing OpenSSL's default locations at nothing
/// leaves that trust decision unchanged and skips the load.
/// </summary>
internal static partial class SystemTrustStore
{
    private const string FileVariable = "SSL_CERT_FILE";
    private const string DirectoryVariable = "SSL_CERT_DIR";

    /// <summary>Call before the first TLS handshake; an operator's own SSL_CERT_* settings are left alone.</summary>
    public static void SkipLoading()
    {
        if (Environment.GetEnvironmentVariable(FileVariable) is not null || Environment.GetEnvironmentVariable(DirectoryVariable) is not null)
        {
            return;
        }
        // The native environment, which OpenSSL reads; .NET's managed copy (and so child processes) stays as it was.
        _ = SetEnv(FileVariable, "/dev/null", overwrite: 0);
        _ = SetEnv(DirectoryVariable, "/dev/null", overwrite: 0);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
