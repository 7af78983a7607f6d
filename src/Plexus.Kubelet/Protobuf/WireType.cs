namespace Plexus.Kubelet.Protobuf;

/// <summary>Protobuf wire types (the low 3 bits of a field tag). 3 and 4 (groups) are obsolete and refused.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
