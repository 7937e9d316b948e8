using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// Text into HTML straight from its UTF-8: the five characters that could end a text or an attribute
/// (<c>&amp; &lt; &gt; " '</c>) become references and everything else is copied as it is, so no text from a
/// session can ever become markup. Control characters other than tab and line breaks, which HTML parsers
/// treat as errors, are shown as their Unicode control pictures (U+2400…) so they stay visible.
/// </summary>
internal static class Utf8Html
{
    private static readonly SearchValues<byte> Special = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n' or '\r')).Select(b => (byte)b), (byte)'&', (byte)'<', (byte)'>', (byte)'"', (byte)'\'', 0x7F]);

    /// <summary>Writes <paramref name="utf8"/> escaped; invalid UTF-8 is replaced by U+FFFD first, never copied.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));
        }
        int next;
        while ((next = utf8.IndexOfAny(Special)) >= 0)
        {
            output.Write(utf8[..next]);
            output.Write(Reference(utf8[next]));
            utf8 = utf8[(next + 1)..];
        }
        output.Write(utf8);
    }

    public static void Write(IBufferWriter<byte> output, string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            Write(output, buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Message text as a safe subset of Markdown: fenced code blocks become <c>pre</c>/<c>code</c> and the
    /// text between blank lines a paragraph, whose line breaks the style sheet keeps. Nothing else of
    /// Markdown is interpreted (no links, no inline HTML): what is not a fence is shown as written.
    /// </summary>
    public static void WriteMessageText(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        var paragraph = false;
        ReadOnlySpan<byte> fence = default;
        var first = true;
        while (true)
        {
            var end = utf8.IndexOfAny((byte)'\r', (byte)'\n');
            var line = end < 0 ? utf8 : utf8[..end];
            var opener = Fence(line);
            if (!fence.IsEmpty)
            {
                if (!opener.IsEmpty && opener[0] == fence[0] && opener.Length >= fence.Length && line.Trim((byte)' ').Length == opener.Length)
                {
                    output.Write("</code></pre>"u8);
                    fence = default;
                }
                else
                {
                    if (!first)
                    {
                        output.Write("\n"u8);
                    }
                    Write(output, line);
                    first = false;
                }
            }
            else if (!opener.IsEmpty)
            {
                if (paragraph)
                {
                    output.Write("</p>"u8);
                    paragraph = false;
                }
                output.Write("<pre><code>"u8);
                fence = opener;
                first = true;
            }
            else if (line.Trim((byte)' ').Trim((byte)'\t').IsEmpty)
            {
                if (paragraph)
                {
                    output.Write("</p>"u8);
                    paragraph = false;
                }
            }
            else
            {
                output.Write(paragraph ? "\n"u8 : "<p>"u8);
                paragraph = true;
                Write(output, line);
            }
            if (end < 0)
            {
                break;
            }
            utf8 = utf8[(end + (utf8[end] == '\r' && end + 1 < utf8.Length && utf8[end + 1] == '\n' ? 2 : 1))..];
        }
        output.Write(!fence.IsEmpty ? "</code></pre>"u8 : paragraph ? "</p>"u8 : default);
    }

    /// <summary>The run of three or more backticks or tildes a line starts with (after up to three spaces), or empty.</summary>
    private static ReadOnlySpan<byte> Fence(ReadOnlySpan<byte> line)
    {
        var indent = 0;
        while (indent < 3 && indent < line.Length && line[indent] == ' ')
        {
            indent++;
        }
        line = line[indent..];
        if (line.Length < 3 || (line[0] != '`' && line[0] != '~'))
        {
            return default;
        }
        var length = 1;
        while (length < line.Length && line[length] == line[0])
        {
            length++;
        }
        return length >= 3 ? line[..length] : default;
    }

    private static ReadOnlySpan<byte> Reference(byte value) => value switch
    {
        (byte)'&' => "&amp;"u8,
        (byte)'<' => "&lt;"u8,
        (byte)'>' => "&gt;"u8,
        (byte)'"' => "&quot;"u8,
        (byte)'\'' => "&#39;"u8,
        0x7F => "\u2421"u8,
        _ => ControlPictures.AsSpan(value * 3, 3),
    };

    /// <summary>U+2400…U+241F, three UTF-8 bytes each, indexed by the control character.</summary>
    private static readonly byte[] ControlPictures = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0x2400, 0x20).Select(c => (char)c)));
}
