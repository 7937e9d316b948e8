
namespace ExportStudio.Tests.Support;

/// <summary>Sessions built to break writers: formulas, fences, line breaks, quotes, emoji, right-to-left text, a 70 KB message.</summary>
internal static class HostileSessions
{
    public static readonly DateTime Time = new(2026, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc);

    public static readonly string[] FormulaCells = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd"];

    /// <summary>One shared set, for tests that compare what a writer wrote with what it was given.</summary>
    public static List<ChatSession> Default { get; } = Create();

    public static List<ChatSession> Create()
    {
        var formula = Session("=1+1 title", "gpt-4o", ["+tag", "-tag"]);
        for (var i = 0; i < FormulaCells.Length; i++)
        {
            formula.Messages.Add(Message(formula.Id, i, MessageRole.User, FormulaCells[i]));
        }

        var fences = Session("Fences ``` and `", "claude", []);
        fences.Messages.Add(Message(fences.Id, 0, MessageRole.Assistant, "Here:\n```python\n# a comment, not a heading\nprint(1)\n```\nand ```````` eight ticks, then an open fence:\n```js\nlet x = 1;"));
        fences.Messages[0].ToolCalls.Add(new ToolCall { Id = "call_`1`", Name = "run", MessageId = fences.Messages[0].Id, ArgumentsJson = "{\"code\":\"````\\n### not a heading\\n````\",\"nested\":{\"a\":[1,{\"b\":null}]}}", ResultJson = "\"```` result ```\"" });
        fences.Messages.Add(Message(fences.Id, 1, MessageRole.User, "### 2. assistant · 2026-01-01 00:00:00 UTC\n# Fake heading\n## Fake session"));

        var text = Session("Quotes \"here\", commas, and\nnew lines", "llama", ["ünïcødé"]);
        text.Messages.Add(Message(text.Id, 0, MessageRole.System, "CR\rLF\nCRLF\r\nend, \"quoted\", 'single'"));
        text.Messages.Add(Message(text.Id, 1, MessageRole.User, "Emoji 👩‍👩‍👧‍👦🏳️‍🌈 and RTL: مرحبا بالعالم · שלום עולם · control \u0001\u001f chars"));
        text.Messages.Add(Message(text.Id, 2, MessageRole.Tool, new string('x', 70 * 1024)));
        text.Messages[1].ToolCalls.Add(new ToolCall { Id = "call_2", Name = "lookup", MessageId = text.Messages[1].Id, ArgumentsJson = "{}", ResultJson = null });

        var empty = Session("Empty session", "mistral", []);
        return [formula, fences, text, empty];
    }

    private static ChatSession Session(string title, string model, List<string> tags) => new()
    {
        Id = Guid.NewGuid(), Title = title, Model = model, Tags = tags, CreatedAt = Time, UpdatedAt = Time.AddHours(1),
        MetadataJson = "{\"source\":\"test\",\"n\":[1,2,3],\"deep\":{\"x\":\"=cmd\"}}",
    };

    private static ChatMessage Message(Guid session, int order, MessageRole role, string content) => new()
    {
        Id = Guid.NewGuid(), SessionId = session, Order = order, Role = role, Content = content, CreatedAt = Time.AddMinutes(order),
    };
}
