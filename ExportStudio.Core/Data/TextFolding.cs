using System.Buffers;
using System.Text;

namespace ExportStudio.Core.Data;

/// <summary>
/// Folds text so that a case-insensitive search is a plain substring search: the searched text and the
/// search are both folded, and the folded search must occur in the folded text. The database runs the same
/// fold (<see cref="ExportStudioSqlite"/> registers it), so the API, the pages and exports find the same.
/// </summary>
/// <remarks>
/// The app runs with invariant globalization: <c>ToLowerInvariant</c> still lowercases every script
/// (simple Unicode case mapping), but leaves the Turkish dotted and dotless i alone, and
/// <c>string.Normalize</c> returns its input unchanged (there is no normalization data). So the folds a search
/// needs beyond lowercasing are made here explicitly: ß and ẞ become "ss" (a person typing "strasse" looks
/// for "Straße"), İ and ı become i, final sigma becomes σ, and ligatures, long s, the micro sign, Greek
/// symbol variants and fullwidth Latin letters and digits become their plain letters. Accents stay
/// significant ("emile" does not find "Émile"): they tell words apart in many languages. Text is folded as
/// UTF-8, the form SQLite stores, so the database folds without converting every row to a .NET string.
/// </remarks>
public static class TextFolding
{
    /// <summary>The name the database knows the fold by.</summary>
    public const string SqlFunctionName = "exportstudio_fold";

    private const int CombiningDotAbove = 0x0307;

    /// <summary>The folded form of <paramref name="text"/>; null stays null (SQL NULL).</summary>
    public static string? Fold(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var utf8 = Encoding.UTF8.GetBytes(text);
        var folded = ArrayPool<byte>.Shared.Rent(MaxFoldedLength(utf8.Length));
        try
        {
            return Encoding.UTF8.GetString(folded, 0, FoldUtf8(utf8, folded));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(folded);
        }
    }

    /// <summary>
    /// The most bytes <see cref="FoldUtf8"/> writes for <paramref name="length"/> bytes: a two-byte letter
    /// whose lowercase takes three (Ⱥ → ⱥ) grows by half; every other fold keeps or shrinks the length.
    /// </summary>
    public static int MaxFoldedLength(int length) => length + length / 2 + 4;

    /// <summary>Folds UTF-8 <paramref name="source"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <remarks>Bytes that are not UTF-8 are copied as they are.</remarks>
    public static int FoldUtf8(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var written = 0;
        var i = 0;
        while (i < source.Length)
        {
            // Runs of ASCII, most of any text, are lowercased many bytes at a time.
            var nonAscii = source[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            var run = nonAscii < 0 ? source.Length - i : nonAscii;
            if (run > 0)
            {
                Ascii.ToLower(source.Slice(i, run), destination[written..], out var lowered);
                written += lowered;
                i += run;
                continue;
            }
            if (Rune.DecodeFromUtf8(source[i..], out var rune, out var consumed) != OperationStatus.Done)
            {
                source.Slice(i, consumed).CopyTo(destination[written..]);
                written += consumed;
                i += consumed;
                continue;
            }
            i += consumed;
            if (rune.Value == CombiningDotAbove && written > 0 && destination[written - 1] == 'i')
            {
                // "İ" lowercased by the full Unicode rules, as browsers do it, is "i" + U+0307: the same i.
                continue;
            }
            written += Special(rune.Value) is { } replacement
                ? Encoding.UTF8.GetBytes(replacement, destination[written..])
                : Rune.ToLowerInvariant(rune).EncodeToUtf8(destination[written..]);
        }
        return written;
    }

    /// <summary>The folds that lowercasing does not make under invariant globalization.</summary>
    private static string? Special(int c) => c switch
    {
        'ß' or 'ẞ' => "ss",
        'İ' or 'ı' => "i",
        'ς' => "σ",
        'ſ' => "s",
        'µ' => "μ",
        'ϐ' => "β",
        'ϑ' => "θ",
        'ϕ' => "φ",
        'ϖ' => "π",
        'ϰ' => "κ",
        'ϱ' => "ρ",
        'ϵ' => "ε",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' or 'ﬆ' => "st",
        // Fullwidth Latin letters and digits, as East Asian input methods type them, are the ASCII ones.
        >= 0xFF21 and <= 0xFF3A => AsciiStrings[c - 0xFF21 + 'a'],
        >= 0xFF41 and <= 0xFF5A => AsciiStrings[c - 0xFF41 + 'a'],
        >= 0xFF10 and <= 0xFF19 => AsciiStrings[c - 0xFF10 + '0'],
        _ => null,
    };

    private static readonly string[] AsciiStrings = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();
}
