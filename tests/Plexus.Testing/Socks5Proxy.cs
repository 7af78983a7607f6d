using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Plexus.Testing;

/// <summary>
/// A SOCKS5 proxy (RFC 1928) on 127.0.0.1 for tests (see <see cref="LoopbackProxy"/>): CONNECT only, to a loopback target
/// given as an IPv4 address, an IPv6 address or a domain name. Without <see cref="LoopbackProxy.RequiredCredentials"/> it
/// selects "no authentication"; with them only username/password (RFC 1929), so a client offering no credentials gets
/// "no acceptable methods" and one offering others gets a failure status and the connection closed.
/// <see cref="LoopbackProxy.RefuseTunnels"/> answers every CONNECT "connection not allowed by ruleset".
/// </summary>
/// <param name="port">The port to listen on; 0: any free one.</param>
public sealed class Socks5Proxy(int port = 0) : LoopbackProxy(port)
{
    private const byte Version = 5;
    private const byte NoAuthenticationRequired = 0;
    private const byte UsernamePassword = 2;
    private const byte NoAcceptableMethods = 0xFF;
    private const byte UsernamePasswordVersion = 1;
    private const byte ConnectCommand = 1;
    private const byte IPv4Address = 1;
    private const byte DomainName = 3;
    private const byte IPv6Address = 4;
    private const byte Succeeded = 0;
    private const byte NotAllowedByRuleset = 2;
    private const byte CommandNotSupported = 7;
    private const byte AddressTypeNotSupported = 8;

    private int _authentications;
    private int _refusedCredentials;

    /// <summary>Username/password authentications that succeeded.</summary>
    public int Authentications => Volatile.Read(ref _authentications);

    /// <summary>Username/password authentications answered with a failure status.</summary>
    public int RefusedCredentials => Volatile.Read(ref _refusedCredentials);

    protected override async Task ServeAsync(Stream client)
    {
        var greeting = await ReadAsync(client, 2);
        if (greeting[0] != Version)
        {
            return;
        }
        var offered = await ReadAsync(client, greeting[1]);
        var method = RequiredCredentials is null ? NoAuthenticationRequired : UsernamePassword;
        if (!offered.Contains(method))
        {
            await client.WriteAsync(new[] { Version, NoAcceptableMethods }, Stopping);
            return;
        }
        await client.WriteAsync(new[] { Version, method }, Stopping);
        if (RequiredCredentials is var (user, password) && !await AuthenticateAsync(client, user, password))
        {
            return;
        }

        // VER CMD RSV ATYP DST.ADDR DST.PORT
        var request = await ReadAsync(client, 4);
        var host = request[3] switch
        {
            IPv4Address => new IPAddress(await ReadAsync(client, 4)).ToString(),
            IPv6Address => new IPAddress(await ReadAsync(client, 16)).ToString(),
            DomainName => Encoding.ASCII.GetString(await ReadAsync(client, (await ReadAsync(client, 1))[0])),
            _ => null,
        };
        if (host is null)
        {
            await ReplyAsync(client, AddressTypeNotSupported);
            return;
        }
        var port = BinaryPrimitives.ReadUInt16BigEndian(await ReadAsync(client, 2));
        if (request[0] != Version || request[1] != ConnectCommand)
        {
            await ReplyAsync(client, CommandNotSupported);
            return;
        }
        if (RefuseTunnels || !IsLoopback(host))
        {
            await ReplyAsync(client, NotAllowedByRuleset);
            return;
        }
        await TunnelAsync(client, host, port, bound => ReplyAsync(client, Succeeded, bound));
    }

    // VER ULEN UNAME PLEN PASSWD, answered VER STATUS; a failure status closes the connection (RFC 1929).
    private async Task<bool> AuthenticateAsync(Stream client, string user, string password)
    {
        var version = (await ReadAsync(client, 1))[0];
        var offeredUser = await ReadAsync(client, (await ReadAsync(client, 1))[0]);
        var offeredPassword = await ReadAsync(client, (await ReadAsync(client, 1))[0]);
        var accepted = version == UsernamePasswordVersion
            && offeredUser.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(user))
            && offeredPassword.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(password));
        Interlocked.Increment(ref accepted ? ref _authentications : ref _refusedCredentials);
        await client.WriteAsync(new[] { UsernamePasswordVersion, accepted ? Succeeded : (byte)1 }, Stopping);
        return accepted;
    }

    // VER REP RSV ATYP BND.ADDR BND.PORT; a failure names no bound address (0.0.0.0:0).
    private async Task ReplyAsync(Stream client, byte reply, IPEndPoint? bound = null)
    {
        var address = (bound?.Address ?? IPAddress.Any).GetAddressBytes();
        var message = new byte[6 + address.Length];
        message[0] = Version;
        message[1] = reply;
        message[3] = address.Length == 4 ? IPv4Address : IPv6Address;
        address.CopyTo(message, 4);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4 + address.Length), (ushort)(bound?.Port ?? 0));
        await client.WriteAsync(message, Stopping);
    }

    private async Task<byte[]> ReadAsync(Stream client, int count)
    {
        var buffer = new byte[count];
        await client.ReadExactlyAsync(buffer, Stopping);
        return buffer;
    }
}
