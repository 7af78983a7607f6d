using Plexus.Kubelet.Grpc;

namespace Plexus.Kubelet.Tests.Grpc;

public sealed class GrpcFramingTests
{
    [Fact]
    public void Frame_ThenUnframe_SameMessage()
    {
        var frame = GrpcFraming.Frame([1, 2, 3]);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 3, 1, 2, 3 }, frame);
        Assert.Equal([1, 2, 3], Assert.Single(GrpcFraming.Unframe(frame)));
    }

    [Fact]
    public void Unframe_TwoMessagesAndEmptyOne_AllInOrder()
    {
        byte[] body = [.. GrpcFraming.Frame([7]), .. GrpcFraming.Frame([]), .. GrpcFraming.Frame([8, 9])];

        var messages = GrpcFraming.Unframe(body);

        Assert.Equal([[7], [], [8, 9]], messages);
    }

    [Fact]
    public void Unframe_EmptyBody_NoMessages()
    {
        Assert.Empty(GrpcFraming.Unframe([]));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 }, "prefix is truncated (3 of 5 bytes)")]
    [InlineData(new byte[] { 0, 0, 0, 0, 4, 1, 2 }, "truncated (2 of 4 bytes)")]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 9 }, "compressed, but plexus asked for none")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0 }, "compressed flag 2")]
    [InlineData(new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF }, "exceeds the 16777216-byte limit")]
    [InlineData(new byte[] { 0, 0, 0, 0, 1, 5, 0, 0 }, "prefix is truncated (2 of 5 bytes)")]
    public void Unframe_Malformed_InvalidData(byte[] body, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => GrpcFraming.Unframe(body));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("0", null, 0, "", "OK")]
    [InlineData("12", "unknown%20method%20Get", 12, "unknown method Get", "UNIMPLEMENTED: unknown method Get")]
    [InlineData("2", "PodResources API Get method disabled", 2, "PodResources API Get method disabled", "UNKNOWN: PodResources API Get method disabled")]
    [InlineData("99", "x", 99, "x", "status 99: x")]
    public void GrpcStatus_Parse_CodeMessageAndName(string code, string? message, int expectedCode, string expectedMessage, string text)
    {
        var status = GrpcStatus.Parse(code, message)!;

        Assert.Equal((expectedCode, expectedMessage), (status.Code, status.Message));
        Assert.Equal(text, status.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("ok")]
    public void GrpcStatus_ParseNotACode_Null(string? code)
    {
        Assert.Null(GrpcStatus.Parse(code, null));
    }
}
