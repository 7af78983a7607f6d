using Plexus.Kubelet.Protobuf;
using Plexus.Testing.Kubelet;

namespace Plexus.Kubelet.Tests.Protobuf;

public sealed class ProtoWriterTests
{
    [Fact]
    public void String_ReadByTestDecoder_FieldsAndTextKept()
    {
        var long300 = new string('x', 300);

        var bytes = new ProtoWriter().String(1, "web-0").String(2, "pöds").String(7, long300).ToArray();

        Assert.Equal([(1, "web-0"), (2, "pöds"), (7, long300)], ProtoBuilder.Strings(bytes));
    }

    [Fact]
    public void String_Empty_LeftOutAsProto3Does()
    {
        Assert.Empty(new ProtoWriter().String(1, "").ToArray());
    }

    [Fact]
    public void String_KnownEncoding_ExactBytes()
    {
        // field 1, wire type 2 (0x0A), length 3, "abc"
        Assert.Equal(new byte[] { 0x0A, 0x03, 0x61, 0x62, 0x63 }, new ProtoWriter().String(1, "abc").ToArray());
    }
}
