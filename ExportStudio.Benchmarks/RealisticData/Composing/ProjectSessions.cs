using static ExportStudio.Benchmarks.RealisticData.Composing.Markup;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>A session of a project: a system prompt now and then, 1-30 exchanges (median 3), tool calls in 18% of the answers.</summary>
internal sealed class ProjectSessions(ProjectTurns turns, ToolCalls tools, Usage usage)
{
    public ChatSession Compose(Rng rng, Project project, DateTime start)
    {
        var section = rng.Pick(project.Docs);
        var chat = Conversation.Start(rng, start, project.Name, project.Language);
        if (project.SystemPrompt is not null && rng.Chance(0.7)) chat.Add(rng, MessageRole.System, project.SystemPrompt);
        else if (rng.Chance(0.1)) chat.Add(rng, MessageRole.System, rng.Pick(Phrases.SystemPrompts));

        var exchanges = rng.LogNormal(3, 0.8, 1, 30);
        string? title = null;
        for (var e = 0; e < exchanges; e++)
        {
            var turn = turns.Next(rng, project, section, chat, first: e == 0, needsTitle: title is null);
            title ??= turn.Title;
            chat.Add(rng, MessageRole.User, turn.User);
            var assistant = chat.Add(rng, MessageRole.Assistant, turn.Answer);
            if (rng.Chance(0.18)) tools.Add(rng, project, assistant, chat);
        }
        chat.Session.Title = title ?? project.Name;
        return chat.Finish(rng, project.Name, project.User, usage);
    }
}
