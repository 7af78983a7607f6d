using System.Security.Cryptography;
using System.Text;
using Plexus.Cni.IO;

namespace Plexus.KubeSim.Hosting;

/// <summary>
/// Bearer-token check. With a token file, the file is the truth: it is re-read whenever its
/// modification time or size changes, so a rotated token takes effect on the next request.
/// </summary>
public sealed class TokenAuthenticator
{
    private readonly object _gate = new();
    private readonly string? _file;
    private string _token;
    private (DateTime Modified, long Length) _seen;

    public TokenAuthenticator(string? token, string? file)
    {
        _file = file is null ? null : Path.GetFullPath(file);
        if (_file is not null && File.Exists(_file) && token is null)
        {
            _token = File.ReadAllText(_file).Trim();
        }
        else
        {
            _token = token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            if (_file is not null) AtomicFile.WriteAllText(_file, _token + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _seen = _file is null ? default : Stamp();
    }

    public string? TokenFile => _file;

    public string CurrentToken
    {
        get
        {
            Refresh();
            lock (_gate) return _token;
        }
    }

    /// <summary>Changes the token (writing the token file when there is one).</summary>
    public void Rotate(string token)
    {
        lock (_gate)
        {
            _token = token;
            if (_file is not null)
            {
                AtomicFile.WriteAllText(_file, token + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
                _seen = Stamp();
            }
        }
    }

    public bool IsAuthorized(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = Encoding.UTF8.GetBytes(authorizationHeader[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(CurrentToken));
    }

    private void Refresh()
    {
        if (_file is null) return;
        var stamp = Stamp();
        lock (_gate)
        {
            if (stamp == _seen) return;
            _seen = stamp;
            if (File.Exists(_file)) _token = File.ReadAllText(_file).Trim();
        }
    }

    private (DateTime, long) Stamp()
    {
        var info = new FileInfo(_file!);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }
}
