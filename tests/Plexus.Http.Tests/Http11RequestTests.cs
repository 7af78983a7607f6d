using System.Text;

namespace Plexus.Http.Tests;

public sealed class Http11RequestTests
{
    [Fact]
    public void Format_PatchWithBody_HeadThenBodyInOneBuffer()
    {
        var wire = Encoding.ASCII.GetString(Http11Request.Format("PATCH", "/api/v1/namespaces/a/pods/p/status?x=1", "10.0.0.1:6443",
            [new("Authorization", "Bearer t0ken"), new("Content-Type", "application/merge-patch+json"), new("Content-Length", "99")], "{}"u8.ToArray()));

        Assert.Equal(
            "PATCH /api/v1/namespaces/a/pods/p/status?x=1 HTTP/1.1\r\nHost: 10.0.0.1:6443\r\nAuthorization: Bearer t0ken\r\n"
            + "Content-Type: application/merge-patch+json\r\nContent-Length: 2\r\n\r\n{}", wire);
    }

    [Fact]
    public void Format_GetWithoutBody_NoContentLength()
    {
        var wire = Encoding.ASCII.GetString(Http11Request.Format("GET", "/apis/x", "api.example", [], null));

        Assert.Equal("GET /apis/x HTTP/1.1\r\nHost: api.example\r\n\r\n", wire);
    }

    [Fact]
    public void Format_PostWithoutBody_ContentLengthZero()
    {
        var wire = Encoding.ASCII.GetString(Http11Request.Format("POST", "/x", "api:8080", [], null));

        Assert.EndsWith("Host: api:8080\r\nContent-Length: 0\r\n\r\n", wire);
    }

    [Theory]
    [InlineData("X-Token", "a\r\nInjected: yes")]
    [InlineData("X-Bad\nName", "v")]
    [InlineData("X:Colon", "v")]
    public void Format_HeaderBreakingTheFraming_RefusedNotInjected(string name, string value)
    {
        var error = Assert.Throws<InvalidDataException>(() => Http11Request.Format("GET", "/x", "api", [new(name, value)], null));

        Assert.Contains("would break the request framing", error.Message);
    }
}
