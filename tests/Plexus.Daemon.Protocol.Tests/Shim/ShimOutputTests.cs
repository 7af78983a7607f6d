using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Daemon.Protocol.Shim;

namespace Plexus.Daemon.Protocol.Tests.Shim;

public sealed class ShimOutputTests
{
    private const string Socket = "/run/plexus/plexus.sock";

    [Fact]
    public void FromReply_ResultEnvelope_PrintsResultBytesUnchanged()
    {
        const string result = """{"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.1.0.5/24"}],  "x-unknown":  {"k":1}}""";
        var reply = new DaemonReply(200, Encoding.UTF8.GetBytes("{\"Result\":" + result + "}"));

        var output = ShimOutput.FromReply(reply, "ADD", Socket, CniVersion.V031);

        Assert.Equal(0, output.ExitCode);
        Assert.Equal(result, Encoding.UTF8.GetString(output.Stdout));
    }

    [Theory]
    [InlineData("DEL", "{}")]
    [InlineData("DEL", "")]
    [InlineData("CHECK", "{\"Result\":null}")]
    [InlineData("GC", "{}")]
    [InlineData("STATUS", "{}")]
    [InlineData("DEL", "{\"Result\":{\"ips\":\"x\"}}")]
    public void FromReply_SuccessOfAVerbWithoutResult_PrintsNothing(string command, string body)
    {
        var output = ShimOutput.FromReply(new DaemonReply(200, Encoding.UTF8.GetBytes(body)), command, Socket, CniVersion.V100);

        Assert.Equal((0, 0), (output.ExitCode, output.Stdout.Length));
    }

    [Fact]
    public void FromReply_DuplicateResultKeys_LastOneWins()
    {
        var reply = new DaemonReply(200, Encoding.UTF8.GetBytes(
            """{"Result":{"cniVersion":"1.0.0","a":1},"other":[{"Result":2}],"Result":{"cniVersion":"1.0.0","b":2}}"""));

        Assert.Equal("""{"cniVersion":"1.0.0","b":2}""", Encoding.UTF8.GetString(ShimOutput.FromReply(reply, "ADD", Socket, CniVersion.V100).Stdout));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(503)]
    public void FromReply_CniErrorJson_PassedOnByteForByteWithErrorExit(int status)
    {
        var body = Encoding.UTF8.GetBytes("""{"cniVersion":"1.0.0","code":7, "msg":"bad","details":"d"}""");

        var output = ShimOutput.FromReply(new DaemonReply(status, body), "ADD", Socket, CniVersion.V100);

        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(body, output.Stdout);
    }

    [Theory]
    [InlineData(500, "internal server error")]
    [InlineData(404, "{\"message\":\"nope\"}")]
    [InlineData(200, "[1]")]
    [InlineData(200, "{\"Result\":{}} trailing")]
    [InlineData(200, "{\"Result\":{\"cniVersion\":\"1.0.0\"")]
    [InlineData(400, "{\"code\":\"7\",\"msg\":\"code is not a number\"}")]
    // The daemon never answers these; a program that does is not a daemon to trust.
    [InlineData(400, "{\"code\":0,\"msg\":\"\"}")]
    [InlineData(400, "{\"code\":-3,\"msg\":\"negative\"}")]
    [InlineData(200, "{\"foo\":1}")]
    [InlineData(200, "{}")]
    [InlineData(200, "")]
    [InlineData(200, "{\"Result\":null}")]
    [InlineData(200, "{\"Result\":{\"ips\":\"x\"}}")]
    [InlineData(200, "{\"Result\":{\"cniVersion\":\"banana\"}}")]
    [InlineData(200, "{\"Result\":{\"cniVersion\":9}}")]
    public void FromReply_AddWithoutAResultOrErrorWithoutCode_Code11NamingTheSocket(int status, string body)
    {
        var output = ShimOutput.FromReply(new DaemonReply(status, Encoding.UTF8.GetBytes(body)), "ADD", Socket, CniVersion.V040);

        var error = JsonNode.Parse(output.Stdout)!.AsObject();
        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)error["code"]!);
        Assert.Equal("0.4.0", (string?)error["cniVersion"]);
        Assert.StartsWith($"plexus daemon at {Socket}: unreadable answer (HTTP {status})", (string?)error["msg"], StringComparison.Ordinal);
        Assert.Contains("plexusd", (string?)error["details"], StringComparison.Ordinal);
    }

    [Fact]
    public void FromReply_InvalidUtf8InTheResultsVersion_Code11NotACrash()
    {
        byte[] body = [.. "{\"Result\":{\"cniVersion\":\"1.0."u8, 0xff, .. "\"}}"u8];

        var output = ShimOutput.FromReply(new DaemonReply(200, body), "ADD", Socket, CniVersion.V100);

        Assert.Equal(ShimOutput.ErrorExit, output.ExitCode);
        Assert.Equal(CniErrorCode.TryAgainLater, (int)JsonNode.Parse(output.Stdout)!["code"]!);
    }

    [Fact]
    public void FromReply_DelErrorWithCodeZero_Code11()
    {
        var output = ShimOutput.FromReply(new DaemonReply(400, "{\"code\":0,\"msg\":\"\"}"u8.ToArray()), "DEL", Socket, CniVersion.V100);

        Assert.Equal(CniErrorCode.TryAgainLater, (int)JsonNode.Parse(output.Stdout)!["code"]!);
    }
}
