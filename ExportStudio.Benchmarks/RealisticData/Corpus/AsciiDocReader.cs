using System.Text;
using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// Git's AsciiDoc release notes as Markdown sections: underlined or "==" headings, "----"
/// listing blocks and indented literal paragraphs as shell code, linkgit: macros as plain commands.
/// </summary>
internal static partial class AsciiDocReader
{
    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        foreach (var file in CorpusFiles.Under(source.Path, "*.txt", p => !p.Contains("/contrib/", StringComparison.Ordinal)))
        {
            var relative = Path.GetRelativePath(source.Path, file);
            var topic = relative.StartsWith("RelNotes", StringComparison.Ordinal) ? "release-notes" : Path.GetFileNameWithoutExtension(file);
            foreach (var section in new Parser(CorpusFiles.ReadText(file), topic).Parse())
            {
                corpus.AddDocs("git", section);
            }
        }
    }

    /// <summary>One file's lines, read once from the top; each kind of line has its own step.</summary>
    private sealed class Parser(string text, string topic)
    {
        private readonly string _topic = topic;
        private readonly string[] _lines = text.Split('\n');
        private readonly List<DocSection> _sections = [];
        private readonly List<Block> _blocks = [];
        private readonly StringBuilder _paragraph = new();
        private string _title = topic;

        public List<DocSection> Parse()
        {
            for (var i = 0; i < _lines.Length; i++)
            {
                var trimmed = _lines[i].Trim();
                if (Listing(ref i, trimmed) || Heading(ref i, trimmed)) continue;
                if (trimmed.Length == 0)
                {
                    EndParagraph();
                    continue;
                }
                if (IndentedLiteral(ref i, trimmed) || IsDirective(trimmed)) continue;
                Text(trimmed);
            }
            EndParagraph();
            EndSection();
            return _sections;
        }

        /// <summary>A "----" or "...." delimited block, up to the same delimiter.</summary>
        private bool Listing(ref int i, string trimmed)
        {
            if (!Delimiter().IsMatch(trimmed)) return false;
            EndParagraph();
            var code = new StringBuilder();
            for (i++; i < _lines.Length && _lines[i].Trim() != trimmed; i++)
            {
                code.Append(code.Length > 0 ? "\n" : "").Append(_lines[i]);
            }
            if (code.Length > 0) _blocks.Add(new CodeBlock(SourceId.GitDocs, trimmed[0] == '-' ? "shell" : "text", Dedent(code.ToString())));
            return true;
        }

        private bool Heading(ref int i, string trimmed)
        {
            var underlined = i + 1 < _lines.Length && trimmed.Length > 0 && Underline().IsMatch(_lines[i + 1].Trim())
                             && Math.Abs(_lines[i + 1].Trim().Length - trimmed.Length) <= 2;
            var prefixed = trimmed.StartsWith("==", StringComparison.Ordinal) && trimmed.Length > 3 && char.IsLetter(trimmed.TrimStart('=', ' ').FirstOrDefault());
            if (!underlined && !prefixed) return false;
            EndParagraph();
            EndSection();
            _title = Inline(trimmed.Trim('=', ' '));
            if (underlined) i++;
            return true;
        }

        /// <summary>An indented paragraph is a literal block, unless it continues a list item.</summary>
        private bool IndentedLiteral(ref int i, string trimmed)
        {
            var line = _lines[i];
            if (!(line.StartsWith(' ') || line.StartsWith('\t')) || _paragraph.Length > 0 || ListItem().IsMatch(trimmed)) return false;
            var code = new StringBuilder();
            for (; i < _lines.Length && _lines[i].Trim().Length > 0; i++)
            {
                code.Append(code.Length > 0 ? "\n" : "").Append(_lines[i]);
            }
            _blocks.Add(new CodeBlock(SourceId.GitDocs, "shell", Dedent(code.ToString())));
            return true;
        }

        /// <summary>Preprocessor lines and attribute entries (":name: value") carry no prose.</summary>
        private static bool IsDirective(string trimmed) =>
            trimmed.StartsWith("include::", StringComparison.Ordinal) || trimmed.StartsWith("ifdef::", StringComparison.Ordinal)
            || trimmed.StartsWith("endif::", StringComparison.Ordinal) || (trimmed.StartsWith(':') && trimmed.EndsWith(':'));

        /// <summary>A list item starts a paragraph; a "term::" line is a bold label of its own; other lines join the paragraph.</summary>
        private void Text(string trimmed)
        {
            var item = ListItem().Match(trimmed);
            if (item.Success)
            {
                EndParagraph();
                _paragraph.Append("- ").Append(item.Groups[1].Value);
            }
            else if (trimmed.EndsWith("::", StringComparison.Ordinal))
            {
                EndParagraph();
                _paragraph.Append("**").Append(trimmed[..^2]).Append("**:");
                EndParagraph();
            }
            else
            {
                _paragraph.Append(_paragraph.Length > 0 ? " " : "").Append(trimmed);
            }
        }

        private void EndParagraph()
        {
            var p = Inline(_paragraph.ToString().Trim());
            if (p.Length > 0) _blocks.Add(new TextBlock(SourceId.GitDocs, p));
            _paragraph.Clear();
        }

        private void EndSection()
        {
            if (_blocks.Count > 0) _sections.Add(new DocSection(SourceId.GitDocs, _topic, _title, _blocks.ToArray()));
            _blocks.Clear();
        }
    }

    private static string Inline(string text)
    {
        text = LinkGit().Replace(text, m => "`" + m.Groups[1].Value.Replace("git-", "git ") + "`");
        return Passthrough().Replace(text.Replace("{litdd}", "--"), "$1");
    }

    private static string Dedent(string code)
    {
        var lines = code.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..].Replace("\t", "    ") : l.Trim())).Trim('\n');
    }

    [GeneratedRegex(@"^(-{4,}|\.{4,})$")]
    private static partial Regex Delimiter();

    [GeneratedRegex(@"^[=\-~^]{3,}$")]
    private static partial Regex Underline();

    [GeneratedRegex(@"^[*\-]\s+(.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\+([^+\s][^+]*?)\+")]
    private static partial Regex Passthrough();

    [GeneratedRegex(@"linkgit:([a-z0-9\-]+)\[\d\]")]
    private static partial Regex LinkGit();
}
