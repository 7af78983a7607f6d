using Plexus.Kubelet.Protobuf;
using Plexus.Testing.Kubelet;

namespace Plexus.Kubelet.Tests.Protobuf;

public sealed class ProtoReaderTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(300UL)]
    [InlineData(ulong.MaxValue)]
    public void ReadVarint_BuiltByTestEncoder_SameValue(ulong value)
    {
        var reader = new ProtoReader(new ProtoBuilder().Varint(1, value).ToArray(), "test");

        Assert.True(reader.TryReadField(out var field, out var type));
        Assert.Equal((1, WireType.Varint), (field, type));
        Assert.Equal(value, reader.ReadVarint());
        Assert.False(reader.TryReadField(out _, out _));
    }

    [Fact]
    public void TryReadField_UnknownFieldsOfEveryWireType_SkippedToTheKnownOne()
    {
        var data = new ProtoBuilder().Varint(9, 5).Fixed64(10, 7).Fixed32(11, 3).Bytes(12, [1, 2, 3]).String(536870911, "ü-last").ToArray();
        var reader = new ProtoReader(data, "test");

        var seen = new List<int>();
        string? text = null;
        while (reader.TryReadField(out var field, out var type))
        {
            seen.Add(field);
            if (field == 536870911)
            {
                text = reader.ReadString();
            }
            else
            {
                reader.Skip(type);
            }
        }

        Assert.Equal([9, 10, 11, 12, 536870911], seen);
        Assert.Equal("ü-last", text);
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x80 }, "varint is truncated")]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, "longer than 64 bits")]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00 }, "longer than 64 bits")]
    [InlineData(new byte[] { 0x0A, 0x05, 0x61 }, "claims 5 bytes but 1 remain")]
    [InlineData(new byte[] { 0x0A, 0x02, 0xC3, 0x28 }, "not valid UTF-8")]
    [InlineData(new byte[] { 0x00, 0x01 }, "field number 0 is out of range")]
    [InlineData(new byte[] { 0x0B }, "wire type 3")]
    [InlineData(new byte[] { 0x0C }, "wire type 4")]
    [InlineData(new byte[] { 0x0E }, "wire type 6")]
    [InlineData(new byte[] { 0x0F }, "wire type 7")]
    [InlineData(new byte[] { 0x09, 1, 2, 3 }, "8-byte fixed field is truncated")]
    [InlineData(new byte[] { 0x0D, 1, 2 }, "4-byte fixed field is truncated")]
    public void Read_Malformed_InvalidDataSaysWhatAndWhere(byte[] data, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(data, "TestMessage");
            while (reader.TryReadField(out var field, out var type))
            {
                if (type == WireType.LengthDelimited)
                {
                    reader.ReadString();
                }
                else
                {
                    reader.Skip(type);
                }
            }
        });

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("malformed TestMessage at byte ", error.Message);
    }

    [Fact]
    public void Expect_KnownFieldWithOtherWireType_Malformed()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(new ProtoBuilder().Varint(1, 4).ToArray(), "PodResources");
            reader.TryReadField(out var field, out var type);
            reader.Expect(field, type, WireType.LengthDelimited);
        });

        Assert.Contains("field 1 has wire type Varint, expected LengthDelimited", error.Message);
    }
}
