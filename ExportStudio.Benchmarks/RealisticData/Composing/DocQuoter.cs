using System.Text;
using System.Text.RegularExpressions;
using ExportStudio.Benchmarks.RealisticData.Corpus;
using static ExportStudio.Benchmarks.RealisticData.Composing.Markup;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// The parts of messages quoted from the corpus: consecutive doc blocks, paragraphs, sentences as bullets
/// or steps, code excerpts, fortunes. Real assistants quote and paraphrase the docs in this way, and every
/// quote is counted in <see cref="Usage"/>.
/// </summary>
internal sealed partial class DocQuoter(TextCorpus corpus, Usage usage)
{
    /// <summary>An answer about a section: an opener, its blocks, maybe a related section, a bullet list and a closer.</summary>
    public string Answer(Rng rng, IReadOnlyList<DocSection> docs, DocSection section, Conversation chat, bool brief)
    {
        var builder = new StringBuilder();
        if (rng.Chance(0.7)) builder.Append(rng.Pick(Phrases.Openers)).Append("\n\n");
        builder.Append(Blocks(rng, section, brief ? rng.LogNormal(2, 0.6, 1, 6) : rng.LogNormal(5, 0.7, 1, 20), chat));
        if (!brief && rng.Chance(0.3))
        {
            var related = rng.Pick(docs);
            builder.Append("\n\n### ").Append(StripMarkup(related.Title)).Append("\n\n").Append(Blocks(rng, related, rng.Next(1, 5), chat));
        }
        if (rng.Chance(0.2)) builder.Append("\n\n").Append(rng.Pick(Phrases.ChangeIntros)).Append("\n\n").Append(Bullets(rng, rng.Pick(docs), rng.Next(3, 7)));
        if (rng.Chance(0.45)) builder.Append("\n\n").Append(rng.Pick(Phrases.Closers));
        return builder.ToString();
    }

    /// <summary>Consecutive blocks of a section from a random start, as Markdown; the last code block is what a follow-up refers to.</summary>
    public string Blocks(Rng rng, DocSection section, int count, Conversation chat)
    {
        var builder = new StringBuilder();
        var start = section.Blocks.Count > count ? rng.Next(section.Blocks.Count - count + 1) : 0;
        foreach (var block in section.Blocks.Skip(start).Take(count))
        {
            if (builder.Length > 0) builder.Append("\n\n");
            switch (block)
            {
                case TextBlock text:
                    builder.Append(text.Text);
                    break;
                case CodeBlock code:
                    builder.Append("```").Append(FenceLanguage(code.Language)).Append('\n').Append(code.Code).Append("\n```");
                    chat.LastCode = code.Code;
                    chat.LastCodeLanguage = code.Language;
                    break;
            }
            usage.Add(block.Source, block, block.Length);
        }
        return builder.ToString();
    }

    public string Paragraphs(Rng rng, DocSection section, int min, int max)
    {
        var paragraphs = section.Blocks.OfType<TextBlock>().ToList();
        if (paragraphs.Count == 0) return StripMarkup(section.Title) + ".";
        var count = rng.Next(min, max + 1);
        var start = paragraphs.Count > count ? rng.Next(paragraphs.Count - count + 1) : 0;
        var chosen = paragraphs.Skip(start).Take(count).ToList();
        foreach (var p in chosen) usage.Add(p.Source, p, p.Text.Length);
        return string.Join("\n\n", chosen.Select(p => p.Text));
    }

    public string Bullets(Rng rng, DocSection section, int count)
    {
        var sentences = Sentences(section).ToList();
        if (sentences.Count == 0) return "- " + StripMarkup(section.Title);
        var start = sentences.Count > count ? rng.Next(sentences.Count - count + 1) : 0;
        var chosen = sentences.Skip(start).Take(count).ToList();
        foreach (var (block, sentence) in chosen) usage.Add(block.Source, (block, sentence), sentence.Length);
        return string.Join("\n", chosen.Select(s => "- " + s.Sentence));
    }

    public string Steps(Rng rng, DocSection section, int count)
    {
        var bullets = Bullets(rng, section, count).Split('\n');
        return string.Join("\n", bullets.Select((b, i) => $"{i + 1}. {b[2..]}"));
    }

    /// <summary>A short sentence of some section, for a code comment.</summary>
    public static string Sentence(Rng rng, IReadOnlyList<DocSection> docs)
    {
        var sentences = Sentences(rng.Pick(docs)).Select(s => s.Sentence).Where(s => s.Length < 100).ToList();
        return sentences.Count > 0 ? rng.Pick(sentences).TrimEnd('.') : "TODO: handle the error case";
    }

    /// <summary>1-3 consecutive units of a file (or, now and then, the whole file, as people paste them).</summary>
    public (string Code, string UnitName) Excerpt(Rng rng, CodeFile file)
    {
        var units = file.Units;
        IEnumerable<CodeUnit> chosen;
        if (rng.Chance(0.1))
        {
            chosen = units.Take(40);
        }
        else
        {
            var count = rng.Next(1, 4);
            var start = units.Count > count ? rng.Next(units.Count - count + 1) : 0;
            chosen = units.Skip(start).Take(count);
        }
        var list = chosen.ToList();
        foreach (var unit in list) usage.Add(file.Source, unit, unit.Text.Length);
        var name = list.Select(u => u.Name).FirstOrDefault(n => n != "<module>") ?? Path.GetFileName(file.Path);
        return (string.Join("\n\n", list.Select(u => u.Text)), name);
    }

    /// <summary>A fortune in the language asked for, English when the corpus has none in it.</summary>
    public string Fortune(Rng rng, string language)
    {
        var list = corpus.Fortunes.TryGetValue(language, out var l) && l.Count > 0 ? l : corpus.Fortunes["en"];
        var text = rng.Pick(list);
        usage.Add(SourceId.Fortunes, text, text.Length);
        return text;
    }

    /// <summary>A light rewrite: sentences kept, one dropped or moved, as an edit of a short text looks.</summary>
    public static string Rework(Rng rng, string text)
    {
        var sentences = SentenceEnd().Split(text).Where(s => s.Trim().Length > 0).ToList();
        if (sentences.Count > 2 && rng.Chance(0.5)) sentences.RemoveAt(rng.Next(sentences.Count));
        if (sentences.Count > 1 && rng.Chance(0.5))
        {
            var s = sentences[0];
            sentences.RemoveAt(0);
            sentences.Insert(rng.Next(sentences.Count + 1), s);
        }
        return string.Join(" ", sentences.Select(s => s.Trim()));
    }

    private static IEnumerable<(TextBlock Block, string Sentence)> Sentences(DocSection section)
    {
        foreach (var block in section.Blocks.OfType<TextBlock>())
        {
            foreach (var sentence in SentenceEnd().Split(block.Text.Replace('\n', ' ')))
            {
                var s = sentence.Trim();
                if (s.StartsWith("- ", StringComparison.Ordinal) || s.StartsWith("* ", StringComparison.Ordinal)) s = s[2..];
                // Fragments ("See also.", "e.g.") read badly as a bullet of their own.
                if (s.Length >= 20) yield return (block, s);
            }
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z`])")]
    private static partial Regex SentenceEnd();
}
