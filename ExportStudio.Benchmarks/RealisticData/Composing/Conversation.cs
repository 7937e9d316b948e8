using static ExportStudio.Benchmarks.RealisticData.Composing.Markup;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// A session being written: its messages in order with their times, and the code last shown, which a
/// pasted error or a follow-up refers back to.
/// </summary>
internal sealed class Conversation
{
    private static readonly string[] Tags = ["work", "debugging", "learning", "review", "docs", "urgent", "ideas", "refactoring"];

    private Conversation(ChatSession session, DateTime start)
    {
        Session = session;
        Time = start;
    }

    public ChatSession Session { get; }
    public DateTime Time { get; private set; }
    public string? LastCode { get; set; }
    public string? LastCodeLanguage { get; set; }

    /// <param name="workspace">The project's name, or "personal"; also a tag now and then.</param>
    /// <param name="topic">The language or kind of session, the usual tag.</param>
    public static Conversation Start(Rng rng, DateTime time, string workspace, string topic)
    {
        var tags = new List<string>();
        if (rng.Chance(0.7)) tags.Add(topic);
        if (rng.Chance(0.3)) tags.Add(rng.Pick(Tags));
        if (rng.Chance(0.2) && workspace != "personal") tags.Add(workspace);
        var session = new ChatSession
        {
            Id = rng.NextGuid(),
            Title = "",
            CreatedAt = time,
            UpdatedAt = time,
            Model = Phrases.Models[rng.PickWeighted(Phrases.ModelWeights)],
            Tags = tags.Distinct().ToList(),
        };
        return new Conversation(session, time);
    }

    public ChatMessage Add(Rng rng, MessageRole role, string content)
    {
        // People read and type; models answer in seconds; tools return at once.
        var delay = role switch
        {
            MessageRole.User => rng.Exponential(90) + 3,
            MessageRole.Assistant => rng.Exponential(8) + 0.5 + content.Length / 2000.0,
            _ => rng.Exponential(1.5) + 0.05,
        };
        Time = Time.AddTicks((long)(delay * TimeSpan.TicksPerSecond));
        var message = new ChatMessage
        {
            Id = rng.NextGuid(),
            SessionId = Session.Id,
            Role = role,
            Content = content,
            CreatedAt = Time,
            Order = Session.Messages.Count,
        };
        Session.Messages.Add(message);
        return message;
    }

    /// <summary>Sets the times, a fallback title and the metadata a chat client records (token counts estimated at 4 characters each).</summary>
    public ChatSession Finish(Rng rng, string workspace, string user, Usage usage)
    {
        var session = Session;
        session.UpdatedAt = session.Messages.Count > 0 ? session.Messages[^1].CreatedAt : session.CreatedAt;
        if (session.Title.Length == 0) session.Title = "New chat";
        var prompt = session.Messages.Where(m => m.Role != MessageRole.Assistant).Sum(m => m.Content.Length) / 4;
        var completion = session.Messages.Where(m => m.Role == MessageRole.Assistant).Sum(m => m.Content.Length) / 4;
        session.MetadataJson = Json(new
        {
            source = rng.Pick(Phrases.Clients),
            temperature = Math.Round(rng.Chance(0.6) ? 0.7 : rng.NextDouble() * 1.2, 2),
            tokens = new { prompt, completion },
            workspace,
            user,
        });
        usage.AddGenerated(session.Title.Length);
        return session;
    }
}
