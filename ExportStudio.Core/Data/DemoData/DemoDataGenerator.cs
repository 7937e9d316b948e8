using System.Text;
using System.Text.Json;

namespace ExportStudio.Core.Data.DemoData;

/// <summary>
/// Produces realistic, varied chat sessions, deterministic from a seed: the same seed always yields the
/// same sessions, ids and timestamps. Used for the demo database and for benchmark data sets.
/// </summary>
public sealed class DemoDataGenerator
{
    public const int DefaultSeed = 20261124;

    private static readonly DateTime Epoch = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Models = ["gpt-4o", "gpt-4.1-mini", "claude-sonnet-4", "claude-haiku-4", "llama-3.3-70b", "mistral-large"];
    private static readonly string[] Tags = ["work", "personal", "coding", "research", "travel", "writing", "data", "support", "ideas", "urgent"];

    private static readonly string[] Topics =
    [
        "Refactor a slow SQL query", "Plan a week in Kyoto", "Explain Rust lifetimes", "Draft a product launch email",
        "Debug a flaky CI pipeline", "Summarise a research paper on RLHF", "Convert CSV to Parquet", "Write a haiku about autumn",
        "Design a REST API for invoices", "Compare zstd and gzip", "Prepare for a system design interview", "Translate a menu to English",
        "Budget for a kitchen renovation", "Fix a memory leak in a .NET service", "Brainstorm names for a podcast", "Understand Kubernetes probes",
    ];

    private static readonly string[] Sentences =
    [
        "Let me walk through this step by step.",
        "The main cost here is the full table scan on every request.",
        "You can avoid the allocation by reusing the buffer between calls.",
        "That depends on how often the data changes and who reads it.",
        "Here is a version that keeps memory flat regardless of input size.",
        "I would start by measuring before changing anything.",
        "The error message suggests the connection was closed by the server.",
        "A good rule of thumb is to keep each function doing one thing.",
        "Consider the trade-off between latency and throughput.",
        "This is the part most people get wrong the first time.",
        "Try running it again with verbose logging enabled.",
        "The index on (created_at, model) covers both filters.",
    ];

    // Non-Latin text and emoji exercise every writer's encoding paths.
    private static readonly string[] International =
    [
        "東京から京都までは新幹線で約2時間15分です。",
        "Привет! Давай разберём эту задачу по шагам.",
        "مرحبا، هل يمكنك مساعدتي في ترجمة هذا النص؟",
        "שלום! זה נראה כמו באג בקוד שלך.",
        "Καλημέρα — ας δούμε τα δεδομένα πρώτα.",
        "안녕하세요, 코드를 다시 확인해 보겠습니다.",
        "Great job 🎉🚀 — that shipped! 👩‍💻👨‍👩‍👧‍👦",
        "नमस्ते, यह उदाहरण देखिए।",
    ];

    private static readonly string[] CodeSnippets =
    [
        "```csharp\nawait foreach (var session in sessions.WithCancellation(ct))\n{\n    await writer.WriteSessionAsync(session, ct);\n}\n```",
        "```sql\nSELECT model, COUNT(*)\nFROM sessions\nWHERE created_at >= '2026-01-01'\nGROUP BY model;\n```",
        "```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```",
        "Use inline code like `zstd -3 -T0 file.json` or ``a `quoted` tick``.",
        "````markdown\nA fence inside a fence:\n```json\n{\"nested\": true}\n```\n````",
        "```bash\ntar --zstd -xf export.tar.zst && jq '.sessions | length' export.json\n```",
    ];

    private static readonly string[] ToolNames = ["search_web", "run_sql", "read_file", "get_weather", "create_calendar_event", "execute_python"];

    private readonly Random _random;

    public DemoDataGenerator(int seed = DefaultSeed) => _random = new Random(seed);

    /// <summary>Generates <paramref name="count"/> sessions; enumerate once (the generator is stateful).</summary>
    public IEnumerable<ChatSession> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return NextSession(i);
        }
    }

    public ChatSession NextSession(int index)
    {
        var createdAt = Epoch.AddMinutes(index * 97 + _random.Next(0, 90));
        var session = new ChatSession
        {
            Id = NextGuid(),
            Title = $"{Pick(Topics)} #{index + 1}",
            Model = Pick(Models),
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            Tags = PickTags(),
            MetadataJson = NextMetadata(index),
        };

        // A few sessions are empty: a valid case every format must handle.
        var messageCount = _random.Next(100) < 3 ? 0 : _random.Next(2, 14);
        var time = createdAt;
        for (var order = 0; order < messageCount; order++)
        {
            time = time.AddSeconds(_random.Next(5, 600));
            session.Messages.Add(NextMessage(session.Id, order, time));
        }
        session.UpdatedAt = time;
        return session;
    }

    private ChatMessage NextMessage(Guid sessionId, int order, DateTime createdAt)
    {
        var role = order == 0 && _random.Next(3) == 0
            ? MessageRole.System
            : order % 2 == 0 ? MessageRole.User : _random.Next(8) == 0 ? MessageRole.Tool : MessageRole.Assistant;

        var message = new ChatMessage
        {
            Id = NextGuid(),
            SessionId = sessionId,
            Role = role,
            Order = order,
            CreatedAt = createdAt,
            Content = NextContent(role),
        };

        if (role == MessageRole.Assistant && _random.Next(4) == 0)
        {
            var calls = _random.Next(1, 3);
            for (var c = 0; c < calls; c++)
            {
                message.ToolCalls.Add(NextToolCall(message.Id, c));
            }
        }
        return message;
    }

    private string NextContent(MessageRole role)
    {
        if (role == MessageRole.System)
        {
            return "You are a helpful assistant. Answer concisely and show code when it helps.";
        }
        if (role == MessageRole.Tool)
        {
            return JsonSerializer.Serialize(new { status = "ok", rows = _random.Next(0, 500), elapsedMs = _random.Next(1, 900) });
        }

        var builder = new StringBuilder();

        // About one message in 150 is very long, like a pasted log or document.
        var paragraphs = _random.Next(150) == 0 ? _random.Next(200, 400) : _random.Next(1, 4);
        for (var p = 0; p < paragraphs; p++)
        {
            if (p > 0)
            {
                builder.Append("\n\n");
            }
            var sentences = _random.Next(1, 5);
            for (var s = 0; s < sentences; s++)
            {
                if (s > 0)
                {
                    builder.Append(' ');
                }
                builder.Append(_random.Next(6) == 0 ? Pick(International) : Pick(Sentences));
            }
            if (_random.Next(4) == 0)
            {
                builder.Append("\n\n").Append(Pick(CodeSnippets));
            }
        }
        return builder.ToString();
    }

    private ToolCall NextToolCall(Guid messageId, int order)
    {
        var name = Pick(ToolNames);
        var arguments = new Dictionary<string, object?>
        {
            ["query"] = Pick(Topics),
            ["limit"] = _random.Next(1, 50),
            ["options"] = new Dictionary<string, object?>
            {
                ["recursive"] = _random.Next(2) == 0,
                ["filters"] = new[] { Pick(Tags), Pick(Tags) },
                ["range"] = new { from = _random.Next(0, 10), to = _random.Next(10, 100) },
            },
        };
        object? result = _random.Next(10) == 0
            ? null
            : new
            {
                ok = true,
                items = Enumerable.Range(0, _random.Next(1, 4)).Select(i => new { id = i, title = Pick(Sentences), score = Math.Round(_random.NextDouble(), 3) }).ToArray(),
            };

        return new ToolCall
        {
            Id = $"call_{_random.NextInt64():x16}",
            MessageId = messageId,
            Order = order,
            Name = name,
            ArgumentsJson = JsonSerializer.Serialize(arguments),
            ResultJson = result is null ? null : JsonSerializer.Serialize(result),
        };
    }

    private string NextMetadata(int index) => JsonSerializer.Serialize(new
    {
        source = _random.Next(3) switch { 0 => "web", 1 => "api", _ => "mobile" },
        temperature = Math.Round(_random.NextDouble(), 2),
        tokens = new { prompt = _random.Next(10, 4000), completion = _random.Next(10, 4000) },
        workspace = $"ws-{index % 7}",
    });

    private List<string> PickTags()
    {
        var count = _random.Next(0, 4);
        var tags = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var tag = Pick(Tags);
            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }
        return tags;
    }

    private Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
