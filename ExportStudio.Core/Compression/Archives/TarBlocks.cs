using System.Text;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>
/// The ustar framing of a tar archive written by hand: for entries whose size is known once they are in
/// memory (a session's document), a 512-byte header and the padding to the next block are all a tar
/// needs, so thousands of small entries go straight to one file instead of a spool file each.
/// </summary>
internal static class TarBlocks
{
    public const int BlockSize = 512;

    /// <summary>tar's default blocking factor (20 blocks): archives end on a whole record, as GNU tar writes them.</summary>
    public const int RecordSize = 20 * BlockSize;

    private const int NameLength = 100;
    private static readonly long MaxSize = Convert.ToInt64("77777777777", 8);

    public static int Padding(long size) => (int)((BlockSize - size % BlockSize) % BlockSize);

    /// <summary>The bytes an entry takes in the archive: header, data and padding.</summary>
    public static long EntryLength(long size) => BlockSize + size + Padding(size);

    /// <summary>Fills <paramref name="header"/> (512 bytes) with a regular file's ustar header: mode 0644, owner 0, the given time.</summary>
    public static void WriteHeader(Span<byte> header, string name, long size, DateTime modifiedUtc)
    {
        if (name.Length > NameLength || Encoding.UTF8.GetByteCount(name) > NameLength)
        {
            throw new ArgumentException($"The tar entry name '{name}' is longer than {NameLength} bytes.", nameof(name));
        }
        if (size < 0 || size > MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "A ustar entry holds at most 8 GiB.");
        }
        header[..BlockSize].Clear();
        Encoding.UTF8.GetBytes(name, header[..NameLength]);
        Octal(header.Slice(100, 8), Convert.ToInt64("644", 8));
        Octal(header.Slice(108, 8), 0);
        Octal(header.Slice(116, 8), 0);
        Octal(header.Slice(124, 12), size);
        Octal(header.Slice(136, 12), new DateTimeOffset(DateTime.SpecifyKind(modifiedUtc, DateTimeKind.Utc)).ToUnixTimeSeconds());
        header[156] = (byte)'0';
        "ustar\000"u8.CopyTo(header[257..]);
        // The checksum is the byte sum of the header with its own field read as spaces.
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header[..BlockSize])
        {
            sum += b;
        }
        Octal(header.Slice(148, 7), sum);
        header[155] = (byte)' ';
    }

    /// <summary>The end of an archive: two zero blocks, then zeros up to a whole record.</summary>
    public static int EndLength(long archiveLength)
    {
        var end = archiveLength + 2 * BlockSize;
        return (int)(end + (RecordSize - end % RecordSize) % RecordSize - archiveLength);
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which is NUL.</summary>
    private static void Octal(Span<byte> field, long value)
    {
        var digits = field.Length - 1;
        for (var i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        field[digits] = 0;
    }
}
