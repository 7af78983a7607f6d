using System.Net.Http.Headers;
using System.Text;
using Plexus.Kube.Http;

namespace Plexus.Kube.Tests.Http;

public sealed class Http11RequestTests
{
    [Fact]
    public void Format_PatchWithBody_HeadThenBodyInOneBuffer()
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, "https://10.0.0.1:6443/api/v1/namespaces/a/pods/p/status?x=1")
        {
            Content = new ByteArrayContent("{}"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/merge-patch+json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "t0ken");

        var wire = Encoding.ASCII.GetString(Http11Request.Format(request, "{}"u8.ToArray()));

        Assert.Equal(
            "PATCH /api/v1/namespaces/a/pods/p/status?x=1 HTTP/1.1\r\nHost: 10.0.0.1:6443\r\nAuthorization: Bearer t0ken\r\n"
            + "Content-Type: application/merge-patch+json\r\nContent-Length: 2\r\n\r\n{}", wire);
    }

    [Fact]
    public void Format_GetOnDefaultPort_HostWithoutPortNoContentLength()
    {
        var wire = Encoding.ASCII.GetString(Http11Request.Format(new HttpRequestMessage(HttpMethod.Get, "https://api.example/apis/x"), null));

        Assert.Equal("GET /apis/x HTTP/1.1\r\nHost: api.example\r\n\r\n", wire);
    }

    [Fact]
    public void Format_PostWithoutBody_ContentLengthZero()
    {
        var wire = Encoding.ASCII.GetString(Http11Request.Format(new HttpRequestMessage(HttpMethod.Post, "http://api:8080/x"), null));

        Assert.EndsWith("Host: api:8080\r\nContent-Length: 0\r\n\r\n", wire);
    }

    [Fact]
    public void Format_HeaderValueWithLineBreak_RefusedNotInjected()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://api/x");
        request.Headers.TryAddWithoutValidation("X-Token", "a\r\nInjected: yes");

        var error = Assert.Throws<HttpRequestException>(() => Http11Request.Format(request, null));

        Assert.Contains("X-Token", error.Message);
        Assert.Contains("line break", error.Message);
    }
}
