using System.Globalization;
using System.Text;
using ExportStudio.Benchmarks.RealisticData.Corpus;
using static ExportStudio.Benchmarks.RealisticData.Composing.Markup;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>One exchange of a project session: the user's message and the assistant's answer.</summary>
/// <param name="Title">A title for the session, asked for only while it has none (its draws would shift every later one).</param>
internal readonly record struct Turn(string User, string Answer, string? Title);

/// <summary>
/// The exchanges of project sessions: a question about a doc section, pasted code with its revision,
/// a pasted error with a fix, or a follow-up on another section.
/// </summary>
internal sealed class ProjectTurns(DocQuoter quotes, ProjectLogs logs, Usage usage)
{
    private static readonly string[] CodeTitles = ["Refactor {0}", "Review of {0}", "Bug in {0}", "Improving {0}", "Tests for {0}", "{0} question", "Help with {0}"];
    private static readonly string[] ErrorTitles = ["Fix {0}", "Debugging {0}", "{0} in {1}", "Why {0}?", "{1} build failure", "Error: {0}"];

    /// <summary>Sessions mostly open with a question, code or an error; later exchanges are more often follow-ups.</summary>
    public Turn Next(Rng rng, Project project, DocSection section, Conversation chat, bool first, bool needsTitle)
    {
        var roll = rng.NextDouble();
        if (first ? roll < 0.35 : roll < 0.15)
        {
            var (user, answer) = AskAbout(rng, project.Docs, section, chat);
            return new Turn(user, answer, needsTitle ? Truncate(StripMarkup(section.Title), 60) : null);
        }
        if (first ? roll < 0.70 : roll < 0.35)
        {
            var (user, answer, unitName) = PasteCode(rng, project, chat);
            return new Turn(user, answer, needsTitle ? string.Format(CultureInfo.InvariantCulture, rng.Pick(CodeTitles), unitName) : null);
        }
        if (first ? roll < 0.92 : roll < 0.55)
        {
            var (user, answer, errorName) = PasteError(rng, project, chat);
            return new Turn(user, answer, needsTitle ? string.Format(CultureInfo.InvariantCulture, rng.Pick(ErrorTitles), errorName, project.Name) : null);
        }
        var next = rng.Pick(project.Docs);
        var followUp = string.Format(CultureInfo.InvariantCulture, rng.Pick(Phrases.FollowUps), StripMarkup(next.Title));
        usage.AddGenerated(followUp.Length);
        var brief = quotes.Answer(rng, project.Docs, next, chat, brief: true);
        return new Turn(followUp, brief, needsTitle ? Truncate(StripMarkup(next.Title), 60) : null);
    }

    /// <summary>A question about the section (sometimes quoting it back), answered from the docs.</summary>
    public (string User, string Answer) AskAbout(Rng rng, IReadOnlyList<DocSection> docs, DocSection section, Conversation chat)
    {
        var other = rng.Pick(docs);
        var question = string.Format(CultureInfo.InvariantCulture, rng.Pick(Phrases.Questions), StripMarkup(section.Title), StripMarkup(other.Title));
        if (rng.Chance(0.2))
        {
            var paragraph = section.Blocks.OfType<TextBlock>().FirstOrDefault();
            if (paragraph is not null)
            {
                usage.Add(paragraph.Source, paragraph, paragraph.Text.Length);
                question = "The docs say:\n\n> " + paragraph.Text.Replace("\n", "\n> ") + "\n\n" + question;
            }
        }
        // People type in a hurry: a share of questions start in lower case.
        if (rng.Chance(0.3)) question = char.ToLowerInvariant(question[0]) + question[1..];
        usage.AddGenerated(question.Length);
        return (question, quotes.Answer(rng, docs, section, chat, brief: false));
    }

    /// <summary>Code from the project with a request; the answer explains, then shows the revised code and what changed.</summary>
    private (string User, string Answer, string UnitName) PasteCode(Rng rng, Project project, Conversation chat)
    {
        var file = rng.Pick(project.Files);
        var (code, unitName) = quotes.Excerpt(rng, file);
        var language = FenceLanguage(file.Language);
        var ask = string.Format(CultureInfo.InvariantCulture, rng.Pick(Phrases.PasteAsks), unitName);
        var user = rng.Chance(0.85) ? $"{ask}\n\n```{language}\n{code}\n```" : $"{ask}\n\n{code}";
        if (rng.Chance(0.25)) user = $"```{language}\n{code}\n```\n\n{ask}";

        var builder = new StringBuilder();
        if (rng.Chance(0.7)) builder.Append(rng.Pick(Phrases.Openers)).Append("\n\n");
        var section = rng.Pick(project.Docs);
        builder.Append(quotes.Paragraphs(rng, section, 1, 3)).Append("\n\n");
        var revised = CodeEditor.Revise(rng, code, file.Language, () => DocQuoter.Sentence(rng, project.Docs));
        usage.AddDerived(file.Source, revised.Length);
        builder.Append("```").Append(language).Append('\n').Append(revised).Append("\n```\n\n");
        builder.Append(rng.Pick(Phrases.ChangeIntros)).Append("\n\n").Append(quotes.Bullets(rng, rng.Pick(project.Docs), rng.Next(2, 6)));
        if (rng.Chance(0.45)) builder.Append("\n\n").Append(rng.Pick(Phrases.Closers));
        chat.LastCode = revised;
        chat.LastCodeLanguage = file.Language;
        usage.AddGenerated(ask.Length);
        return (user, builder.ToString(), unitName);
    }

    /// <summary>An error log, maybe with the code last discussed; the answer explains it and revises that code.</summary>
    private (string User, string Answer, string ErrorName) PasteError(Rng rng, Project project, Conversation chat)
    {
        var log = logs.ErrorLog(rng, project);
        var lastLine = log.Split('\n').Last(l => l.Trim().Length > 0).Trim();
        var errorName = Truncate(lastLine.Split(':')[0], 40);
        var user = new StringBuilder(rng.Pick(Phrases.ErrorAsks)).Append("\n\n```\n").Append(log).Append("\n```");
        if (chat.LastCode is not null && rng.Chance(0.5))
        {
            user.Append("\n\nThis is the code:\n\n```").Append(FenceLanguage(chat.LastCodeLanguage!)).Append('\n').Append(chat.LastCode).Append("\n```");
        }
        else if (rng.Chance(0.3))
        {
            var (code, _) = quotes.Excerpt(rng, rng.Pick(project.Files));
            user.Append("\n\n```").Append(FenceLanguage(project.Language)).Append('\n').Append(code).Append("\n```");
        }
        return (user.ToString(), ErrorAnswer(rng, project, chat, lastLine), errorName);
    }

    private string ErrorAnswer(Rng rng, Project project, Conversation chat, string lastLine)
    {
        var builder = new StringBuilder();
        builder.Append(string.Format(CultureInfo.InvariantCulture, rng.Pick(Phrases.ErrorExplanations), Truncate(lastLine, 120))).Append("\n\n");
        builder.Append(quotes.Paragraphs(rng, rng.Pick(project.Docs), 1, 4)).Append("\n\n");
        var fixSource = chat.LastCode ?? quotes.Excerpt(rng, rng.Pick(project.Files)).Code;
        var fixedCode = CodeEditor.Revise(rng, fixSource, project.Language, () => DocQuoter.Sentence(rng, project.Docs));
        usage.AddDerived(project.Files[0].Source, fixedCode.Length);
        builder.Append("```").Append(FenceLanguage(chat.LastCodeLanguage ?? project.Language)).Append('\n').Append(fixedCode).Append("\n```\n\n");
        builder.Append(rng.Pick(Phrases.ChangeIntros)).Append("\n\n").Append(quotes.Steps(rng, rng.Pick(project.Docs), rng.Next(2, 6)));
        if (rng.Chance(0.4)) builder.Append("\n\n").Append(rng.Pick(Phrases.Closers));
        chat.LastCode = fixedCode;
        chat.LastCodeLanguage ??= project.Language;
        return builder.ToString();
    }
}
