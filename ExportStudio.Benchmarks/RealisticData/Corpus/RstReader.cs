using System.Text;
using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// The Python documentation's reStructuredText sources, as Markdown sections: headings split sections,
/// literal blocks ("::", code-block, doctest) become fenced code, directives are handled by
/// <see cref="RstDirectives"/>, inline markup by <see cref="RstInline"/>.
/// </summary>
internal static partial class RstReader
{
    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        foreach (var file in CorpusFiles.Under(source.Path, "*.rst.txt"))
        {
            var relative = Path.GetRelativePath(source.Path, file);
            // The changelog and whatsnew pages are mostly issue numbers; keep the guides and references.
            if (relative.StartsWith("whatsnew", StringComparison.Ordinal)) continue;
            var topic = Path.GetFileName(file).Replace(".rst.txt", "");
            foreach (var section in Parse(CorpusFiles.ReadText(file), topic))
            {
                corpus.AddDocs("python", section);
            }
        }
    }

    /// <summary>Sections of a page; also the body of a directive, parsed as a page of its own.</summary>
    public static List<DocSection> Parse(string text, string topic)
    {
        var lines = text.Split('\n');
        var sections = new List<DocSection>();
        var title = topic;
        var blocks = new List<Block>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            if (line.Trim().Length == 0) { i++; continue; }
            if (Heading(lines, i) is { } heading)
            {
                if (blocks.Count > 0) sections.Add(new DocSection(SourceId.PythonDocs, topic, title, blocks.ToArray()));
                blocks.Clear();
                title = heading.Title;
                i += heading.Lines;
                continue;
            }
            if (IsAdornment(line)) { i++; continue; }
            var trimmed = line.Trim();
            i = trimmed.StartsWith(".. ", StringComparison.Ordinal) || trimmed == ".."
                ? RstDirectives.Read(lines, i, Indent(line), blocks)
                : Paragraph(lines, i, Indent(line), blocks);
        }
        if (blocks.Count > 0) sections.Add(new DocSection(SourceId.PythonDocs, topic, title, blocks.ToArray()));
        return sections;
    }

    /// <summary>A line underlined (and maybe overlined) with punctuation at least as long: its title and the lines it takes.</summary>
    private static (string Title, int Lines)? Heading(string[] lines, int i)
    {
        var line = lines[i];
        if (IsAdornment(line) && i + 2 < lines.Length && IsAdornment(lines[i + 2]) && lines[i + 1].Trim().Length > 0)
        {
            return (RstInline.Render(lines[i + 1].Trim()), 3);
        }
        if (!char.IsWhiteSpace(line[0]) && i + 1 < lines.Length && IsAdornment(lines[i + 1]) && lines[i + 1].TrimEnd().Length >= line.TrimEnd().Length)
        {
            return (RstInline.Render(line.Trim()), 2);
        }
        return null;
    }

    /// <summary>A paragraph or list (lines up to a blank line), a doctest, a table, or text ending in "::" with its literal block.</summary>
    private static int Paragraph(string[] lines, int i, int indent, List<Block> blocks)
    {
        var start = i;
        var paragraph = new StringBuilder();
        while (i < lines.Length && lines[i].Trim().Length > 0)
        {
            if (i > start && IsAdornment(lines[i])) break;
            paragraph.Append(i > start ? "\n" : "").Append(lines[i].Trim());
            i++;
        }
        var raw = paragraph.ToString();
        if (raw.StartsWith(">>>", StringComparison.Ordinal))
        {
            blocks.Add(new CodeBlock(SourceId.PythonDocs, "pycon", BlockText(lines, start, i)));
            return i;
        }
        if (raw.StartsWith("+-", StringComparison.Ordinal) || raw.StartsWith("===", StringComparison.Ordinal))
        {
            blocks.Add(new CodeBlock(SourceId.PythonDocs, "text", BlockText(lines, start, i)));
            return i;
        }
        var literalFollows = raw.EndsWith("::", StringComparison.Ordinal);
        if (literalFollows) raw = raw.EndsWith(" ::", StringComparison.Ordinal) ? raw[..^3] : raw[..^1];
        var rendered = ListOrParagraph(raw);
        if (rendered.Length > 0) blocks.Add(new TextBlock(SourceId.PythonDocs, rendered));
        return literalFollows ? Literal(lines, i, indent, blocks, null) : i;
    }

    /// <summary>The indented block after "::" (or a code directive) as a fenced code block.</summary>
    public static int Literal(string[] lines, int i, int indent, List<Block> blocks, string? language)
    {
        while (i < lines.Length && lines[i].Trim().Length == 0) i++;
        var start = i;
        var end = BodyEnd(lines, i, indent);
        if (end > start)
        {
            var code = BlockText(lines, start, end);
            language ??= GuessLanguage(code);
            blocks.Add(new CodeBlock(SourceId.PythonDocs, language, code));
        }
        return end;
    }

    /// <summary>The end of the lines indented deeper than <paramref name="indent"/> (blank lines inside included, trailing ones not).</summary>
    public static int BodyEnd(string[] lines, int i, int indent)
    {
        var end = i;
        while (i < lines.Length && (lines[i].Trim().Length == 0 || Indent(lines[i]) > indent))
        {
            if (lines[i].Trim().Length > 0) end = i + 1;
            i++;
        }
        return end;
    }

    public static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static string BlockText(string[] lines, int start, int end)
    {
        var slice = lines[start..end];
        var min = slice.Where(l => l.Trim().Length > 0).Select(Indent).DefaultIfEmpty(0).Min();
        return string.Join('\n', slice.Select(l => l.Length >= min ? l[min..].TrimEnd() : "")).Trim('\n');
    }

    private static string GuessLanguage(string code)
    {
        if (code.StartsWith(">>>", StringComparison.Ordinal)) return "pycon";
        if (code.StartsWith("$ ", StringComparison.Ordinal) || code.StartsWith("% ", StringComparison.Ordinal)) return "console";
        if (code.Contains("#include", StringComparison.Ordinal) || code.Contains("PyObject", StringComparison.Ordinal)) return "c";
        return "python";
    }

    /// <summary>List items on lines of their own ("- ", or "1. " for auto-numbered "#."), other lines joined into one paragraph.</summary>
    private static string ListOrParagraph(string raw)
    {
        var builder = new StringBuilder();
        foreach (var line in raw.Split('\n'))
        {
            var item = ListItem().Match(line);
            if (item.Success)
            {
                if (builder.Length > 0) builder.Append('\n');
                builder.Append(item.Groups[1].Value is "#." ? "1. " : "- ").Append(RstInline.Render(item.Groups[2].Value));
            }
            else
            {
                if (builder.Length > 0) builder.Append(' ');
                builder.Append(RstInline.Render(line));
            }
        }
        return builder.ToString().Trim();
    }

    private static bool IsAdornment(string line)
    {
        var t = line.TrimEnd();
        if (t.Length < 3) return false;
        var c = t[0];
        if (!"=-~^\"*+#'`:.".Contains(c)) return false;
        foreach (var ch in t)
        {
            if (ch != c) return false;
        }
        return true;
    }

    [GeneratedRegex(@"^([*\-+]|#\.|\d+\.)\s+(.*)$")]
    private static partial Regex ListItem();
}
