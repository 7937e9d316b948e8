using ExportStudio.Benchmarks.RealisticData.Corpus;
using static ExportStudio.Benchmarks.RealisticData.Composing.Markup;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// One-off sessions outside any project: writing help and quotes (35%), translations (15%), license
/// questions (5%), or a question about any API (45%).
/// </summary>
internal sealed class GeneralSessions(TextCorpus corpus, DocQuoter quotes, ProjectTurns turns, Usage usage)
{
    private const string Workspace = "personal";

    private static readonly string[] WritingTitles = ["Proofreading request", "Quote explanation", "Rewrite for tone", "Short story idea", "Make it funnier", "Editing help"];
    private static readonly string[] TranslationTitles = ["Translate to English", "Translation help", "What does this say?", "Joke translation"];

    // German and Russian twice: the corpus has far more of them than of Spanish or Chinese.
    private static readonly string[] TranslatedLanguages = ["de", "ru", "es", "zh", "de", "ru"];

    public ChatSession Compose(Rng rng, DateTime start)
    {
        var roll = rng.NextDouble();
        var language = ChatLanguages.Pick(rng);
        var chat = Conversation.Start(rng, start, Workspace, roll < 0.35 ? "writing" : roll < 0.5 ? "translation" : roll < 0.55 ? "legal" : language);
        var session = chat.Session;
        if (rng.Chance(0.1)) chat.Add(rng, MessageRole.System, rng.Pick(Phrases.SystemPrompts));
        var exchanges = rng.LogNormal(2, 0.7, 1, 12);
        for (var e = 0; e < exchanges; e++)
        {
            var first = e == 0;
            var (user, answer) = roll < 0.35 ? Writing(rng, language, session, first)
                : roll < 0.5 ? Translation(rng, session, first)
                : roll < 0.55 ? License(rng, session, first)
                : ApiQuestion(rng, language, chat, first);
            chat.Add(rng, MessageRole.User, user);
            chat.Add(rng, MessageRole.Assistant, answer);
        }
        return chat.Finish(rng, Workspace, rng.Pick(Phrases.UserNames), usage);
    }

    /// <summary>A quote or paragraph to edit; the answer reworks it and offers fortunes in the same spirit.</summary>
    private (string User, string Answer) Writing(Rng rng, string language, ChatSession session, bool first)
    {
        var text = rng.Chance(0.6) ? quotes.Fortune(rng, "en") : quotes.Paragraphs(rng, rng.Pick(corpus.Docs[language]), 1, 3);
        var user = rng.Pick(Phrases.WritingAsks) + "\n\n" + text;
        var alternatives = string.Join("\n\n", Enumerable.Range(0, rng.Next(1, 4)).Select(_ => "> " + quotes.Fortune(rng, "en").Replace("\n", "\n> ")));
        var answer = rng.Pick(Phrases.Openers) + "\n\n" + DocQuoter.Rework(rng, text) + "\n\n"
                     + rng.Pick(["A few in the same spirit:", "Related quotes:", "Alternatives:", "Other options:"]) + "\n\n" + alternatives;
        if (first) session.Title = rng.Pick(WritingTitles);
        return (user, answer);
    }

    /// <summary>A German, Russian, Spanish or Chinese fortune to translate; an English fortune stands in for the translation.</summary>
    private (string User, string Answer) Translation(Rng rng, ChatSession session, bool first)
    {
        var text = quotes.Fortune(rng, rng.Pick(TranslatedLanguages));
        var user = rng.Pick(Phrases.TranslateAsks) + "\n\n" + text;
        var answer = rng.Pick(["Here's a translation:", "Translation:", "In English:", "Roughly:"]) + "\n\n" + quotes.Fortune(rng, "en") + "\n\n" + rng.Pick(Phrases.Closers);
        if (first) session.Title = rng.Pick(TranslationTitles);
        return (user, answer);
    }

    /// <summary>An excerpt of a license with a question; the answer quotes other paragraphs of it.</summary>
    private (string User, string Answer) License(Rng rng, ChatSession session, bool first)
    {
        var (name, license) = rng.Pick(corpus.Licenses);
        var paragraphs = license.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var from = rng.Next(paragraphs.Length);
        var excerpt = string.Join("\n\n", paragraphs.Skip(from).Take(rng.Next(1, 6)));
        usage.Add(SourceId.Licenses, (name, from), excerpt.Length);
        var user = rng.Pick(Phrases.LicenseAsks) + "\n\n" + excerpt;
        var quoted = string.Join("\n\n", paragraphs.Skip(rng.Next(paragraphs.Length)).Take(rng.Next(1, 3)).Select(p => "> " + p.Trim().Replace("\n", "\n> ")));
        var answer = $"{rng.Pick(Phrases.Openers)} The {name} license says:\n\n{quoted}\n\n{rng.Pick(Phrases.ChangeIntros)}\n\n"
                     + $"{quotes.Bullets(rng, rng.Pick(corpus.Docs["git"]), 3)}\n\n{rng.Pick(Phrases.Closers)}";
        if (first) session.Title = name + " license question";
        return (user, answer);
    }

    private (string User, string Answer) ApiQuestion(Rng rng, string language, Conversation chat, bool first)
    {
        var docs = corpus.Docs[language];
        var section = rng.Pick(docs);
        var exchange = turns.AskAbout(rng, docs, section, chat);
        if (first) chat.Session.Title = Truncate(StripMarkup(section.Title), 60);
        return exchange;
    }
}
