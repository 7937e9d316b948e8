using System.Text;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>File listing and reading that give the same text on every machine with the same packages.</summary>
internal static class CorpusFiles
{
    /// <summary>
    /// Regular files in ordinal order: the directory's own order differs between file systems, and symlinks
    /// (fortune's *.u8) would read the same text twice.
    /// </summary>
    public static IEnumerable<string> Under(string root, string pattern, Func<string, bool>? include = null)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(root, pattern, options)
            .Where(p => include?.Invoke(p) ?? true)
            .Order(StringComparer.Ordinal);
    }

    public static string ReadText(string path) => Normalize(File.ReadAllText(path, Encoding.UTF8));

    /// <summary>LF line ends, no BOM, no control characters but tab and newline (fortunes carry backspace overstrikes and ANSI escapes).</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') continue;
                builder.Append('\n');
            }
            else if (c == '\b')
            {
                // "_\bX" or "X\bX" is an overstrike: the last character is the one shown.
                if (builder.Length > 0) builder.Length--;
            }
            else if (c == '\u001b')
            {
                i = SkipAnsiEscape(text, i);
            }
            else if (c != '\uFEFF' && (!char.IsControl(c) || c == '\n' || c == '\t'))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>ESC [ ... letter: returns the index of the final letter, which the caller's loop steps past.</summary>
    private static int SkipAnsiEscape(string text, int escape)
    {
        var j = escape + 1;
        if (j < text.Length && text[j] == '[')
        {
            j++;
            while (j < text.Length && !char.IsAsciiLetter(text[j])) j++;
        }
        return j;
    }
}
