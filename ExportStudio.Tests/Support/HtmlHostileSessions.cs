
namespace ExportStudio.Tests.Support;

/// <summary>Sessions whose text tries to become markup or script in an HTML transcript or the viewer.</summary>
public static class HtmlHostileSessions
{
    public static readonly string[] Attacks =
    [
        "<script>window.__pwned = 'script tag'; alert('script')</script>",
        "<img src=x onerror=\"window.__pwned='onerror'; alert('img')\">",
        "[click me](javascript:window.__pwned='link';alert('link')) and [data](data:text/html,<script>alert(1)</script>) and [ok](https://example.org/a?b=1&c=2)",
        "</style><style>body{display:none}</style>\"'><svg onload=alert('svg')>",
        "<a href=\"javascript:alert('a')\">raw link</a> <iframe src=\"javascript:alert('frame')\"></iframe>",
        "```html\n<script>alert('fenced')</script>\n```\n**bold <b>not html</b>** and `<code>` spans",
    ];

    public const string HostileTitle = "<script>alert('title')</script> & \"quotes\" 'single'";

    /// <summary>One instance with fixed ids, so importing it twice imports it once.</summary>
    public static ChatSession Default { get; } = Create(new DateTime(2026, 1, 6, 9, 30, 0, DateTimeKind.Utc));

    /// <summary>One session holding every attack, as user and assistant messages and a tool call.</summary>
    public static ChatSession Create(DateTime time)
    {
        var session = new ChatSession
        {
            Id = Guid.NewGuid(), Title = HostileTitle, Model = "<b>model</b>", Tags = ["<i>tag</i>", "x\" onmouseover=\"alert(1)"],
            CreatedAt = time, UpdatedAt = time, MetadataJson = "{\"html\":\"<script>alert('metadata')</script>\"}",
        };
        for (var i = 0; i < Attacks.Length; i++)
        {
            session.Messages.Add(new ChatMessage
            {
                Id = Guid.NewGuid(), SessionId = session.Id, Order = i, Role = i % 2 == 0 ? MessageRole.User : MessageRole.Assistant,
                Content = Attacks[i], CreatedAt = time.AddMinutes(i),
            });
        }
        session.Messages[1].ToolCalls.Add(new ToolCall
        {
            Id = "call_<x>", Name = "<script>alert('tool')</script>", MessageId = session.Messages[1].Id,
            ArgumentsJson = "{\"q\":\"</code></pre><script>alert('args')</script>\"}", ResultJson = "\"<img src=x onerror=alert('result')>\"",
        });
        return session;
    }
}
