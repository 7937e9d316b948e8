using System.Text;
using System.Text.RegularExpressions;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>The Node.js API docs (Markdown): sections by heading, paragraphs and fenced code kept as written; the HTML comments (YAML history, metadata) dropped.</summary>
internal static partial class MarkdownReader
{
    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        foreach (var file in CorpusFiles.Under(source.Path, "*.md.gz"))
        {
            var topic = Path.GetFileName(file).Replace(".md.gz", "");
            if (topic is "all" or "index") continue;
            var text = Comment().Replace(CorpusFiles.ReadText(file), "");
            foreach (var section in Parse(text, topic, SourceId.NodeDocs))
            {
                corpus.AddDocs("javascript", section);
                if (topic == "errors" && ErrorCode().IsMatch(section.Title))
                {
                    var first = section.Blocks.OfType<TextBlock>().FirstOrDefault();
                    if (first is not null) corpus.NodeErrors.Add((section.Title.Trim('`'), first.Text.Split('\n')[0]));
                }
            }
        }
    }

    public static IEnumerable<DocSection> Parse(string text, string topic, SourceId source)
    {
        var title = topic;
        var blocks = new List<Block>();
        var paragraph = new StringBuilder();
        var lines = text.Split('\n');

        void EndParagraph()
        {
            var p = paragraph.ToString().Trim();
            if (p.Length > 0) blocks.Add(new TextBlock(source, p));
            paragraph.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                EndParagraph();
                var language = line[3..].Trim();
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
                {
                    code.Append(code.Length > 0 ? "\n" : "").Append(lines[i]);
                }
                if (code.Length > 0) blocks.Add(new CodeBlock(source, language.Length > 0 ? language : "text", code.ToString()));
                continue;
            }
            if (line.StartsWith('#'))
            {
                EndParagraph();
                if (blocks.Count > 0) yield return new DocSection(source, topic, title, blocks.ToArray());
                blocks.Clear();
                title = line.TrimStart('#').Trim();
                continue;
            }
            if (line.Trim().Length == 0)
            {
                EndParagraph();
                continue;
            }
            if (LinkDefinition().IsMatch(line)) continue;
            paragraph.Append(paragraph.Length > 0 ? "\n" : "").Append(line);
        }
        EndParagraph();
        if (blocks.Count > 0) yield return new DocSection(source, topic, title, blocks.ToArray());
    }

    [GeneratedRegex(@"<!--.*?-->\n?", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"^\[[^\]]+\]:\s")]
    private static partial Regex LinkDefinition();

    [GeneratedRegex(@"^`?ERR_[A-Z0-9_]+`?$")]
    private static partial Regex ErrorCode();
}
