using System.Buffers.Binary;

namespace ExportStudio.Core.Compression.Codecs;

/// <summary>
/// The gzip extra subfield in which ExportStudio records the length of each member of a tar.gz:
/// SI1 = 'E', SI2 = 'S' (ExportStudio), LEN = 4, then the whole member's length in bytes (its header with
/// this field, the deflate data and the 8-byte trailer) as a little-endian uint32. A member is one 2 MiB
/// block, so the length always fits. Reading it needs no inflating: the next member starts that many bytes on.
/// </summary>
internal static class MemberLengthField
{
    /// <summary>The fixed part of a gzip header (magic, method, flags, mtime, XFL, OS), as GZipStream writes it.</summary>
    public const int PlainHeaderLength = 10;

    /// <summary>XLEN (2 bytes), SI1, SI2, LEN (2 bytes) and the uint32 length.</summary>
    public const int ExtraLength = 2 + 2 + 2 + 4;

    public const byte SubfieldId1 = (byte)'E';
    public const byte SubfieldId2 = (byte)'S';

    private const byte FlagExtra = 0x04;

    /// <summary>
    /// The header for <paramref name="member"/> (a complete member written by GZipStream, whose header has no
    /// optional fields) with the length field added; the member's bytes after its plain header follow it unchanged.
    /// </summary>
    public static byte[] Header(ReadOnlySpan<byte> member)
    {
        if (member.Length < PlainHeaderLength + 8 || member[0] != 0x1F || member[1] != 0x8B || member[3] != 0)
        {
            // zlib writes a bare 10-byte header; anything else would be misplaced by the field that follows.
            throw new InvalidOperationException("The gzip member does not start with a plain 10-byte header.");
        }
        var header = new byte[PlainHeaderLength + ExtraLength];
        member[..PlainHeaderLength].CopyTo(header);
        header[3] = FlagExtra;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), 2 + 2 + 4);
        header[12] = SubfieldId1;
        header[13] = SubfieldId2;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), checked((uint)(member.Length + ExtraLength)));
        return header;
    }
}
