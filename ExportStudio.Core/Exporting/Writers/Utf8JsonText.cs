using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// Writes message text, most of an export's bytes, as a JSON string straight from its UTF-8: only what JSON
/// requires is escaped (quote, backslash, control characters) and everything else is copied as it is.
/// The writer's encoder goes character by character from the first character it escapes (a line break is
/// in nearly every message) and writes each emoji as a pair of \u escapes, a noticeable share of an
/// export's CPU time (see docs/benchmarks.md, "Why the code is shaped this way").
/// </summary>
internal static class Utf8JsonText
{
    private static readonly SearchValues<byte> Escaped = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    public static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> propertyName, ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            // Never copied as it is: the writer puts U+FFFD in place of each invalid sequence.
            writer.WriteString(propertyName, utf8);
            return;
        }

        writer.WritePropertyName(propertyName);
        // Room for the text, its quotes and the escapes of ordinary text (a line break every 16 bytes or
        // fewer), so one pass usually does: counting the escapes first read every message twice.
        var buffer = ArrayPool<byte>.Shared.Rent(checked(utf8.Length + 2 + utf8.Length / 16 + 64));
        try
        {
            var length = Quote(utf8, buffer);
            if (length < 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(checked(utf8.Length + 2 + ExtraBytes(utf8)));
                length = Quote(utf8, buffer);
            }
            writer.WriteRawValue(buffer.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ExtraBytes(ReadOnlySpan<byte> utf8)
    {
        var extra = 0;
        int next;
        while ((next = utf8.IndexOfAny(Escaped)) >= 0)
        {
            extra += ShortEscape(utf8[next]) == 0 ? 5 : 1;
            utf8 = utf8[(next + 1)..];
        }
        return extra;
    }

    /// <summary>The quoted, escaped text in <paramref name="output"/>; its length, or -1 when it does not fit.</summary>
    private static int Quote(ReadOnlySpan<byte> utf8, Span<byte> output)
    {
        output[0] = (byte)'"';
        var length = 1;
        int next;
        while ((next = utf8.IndexOfAny(Escaped)) >= 0)
        {
            // The longest escape (\u00XX) and the closing quote must fit after the run before it.
            if (length + next + 7 > output.Length)
            {
                return -1;
            }
            utf8[..next].CopyTo(output[length..]);
            length += next;
            var value = utf8[next];
            output[length++] = (byte)'\\';
            var shortForm = ShortEscape(value);
            if (shortForm != 0)
            {
                output[length++] = shortForm;
            }
            else
            {
                // \u00XX in upper-case hex, as the writer's encoder spells it.
                "u00"u8.CopyTo(output[length..]);
                output[length + 3] = (byte)"0123456789ABCDEF"[value >> 4];
                output[length + 4] = (byte)"0123456789ABCDEF"[value & 0xF];
                length += 5;
            }
            utf8 = utf8[(next + 1)..];
        }
        if (length + utf8.Length + 1 > output.Length)
        {
            return -1;
        }
        utf8.CopyTo(output[length..]);
        length += utf8.Length;
        output[length++] = (byte)'"';
        return length;
    }

    private static byte ShortEscape(byte value) => value switch
    {
        (byte)'"' => (byte)'"',
        (byte)'\\' => (byte)'\\',
        (byte)'\n' => (byte)'n',
        (byte)'\r' => (byte)'r',
        (byte)'\t' => (byte)'t',
        (byte)'\b' => (byte)'b',
        (byte)'\f' => (byte)'f',
        _ => 0,
    };
}
