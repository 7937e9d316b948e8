using System.Text;
using Microsoft.VisualBasic.FileIO;

namespace ExportStudio.Tests.Exporting.Writers;

/// <summary>Each writer's output parses back with an independent parser and matches the sessions, for every toggle.</summary>
public sealed class FormatWriterTests
{
    private static readonly List<ChatSession> Sessions = HostileSessions.Default;

    public static TheoryData<bool, bool, bool> Toggles() => new()
    {
        { true, true, true }, { false, true, true }, { true, false, true }, { true, true, false }, { false, false, false },
    };


    [Theory]
    [MemberData(nameof(Toggles))]
    public async Task Json_parses_back_and_matches_the_sessions(bool messages, bool metadata, bool toolCalls)
    {
        var options = new ExportOptions { IncludeMessages = messages, IncludeMetadata = metadata, IncludeToolCalls = toolCalls };
        using var document = JsonDocument.Parse(await SampleDocuments.WriteAsync(ExportFormat.Json, options));
        var root = document.RootElement;

        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("ExportStudio", root.GetProperty("generator").GetString());
        Assert.Equal(HostileSessions.Time, root.GetProperty("exportedAt").GetDateTime());
        Assert.Equal(messages, root.GetProperty("options").GetProperty("includeMessages").GetBoolean());
        Assert.Equal(Sessions.Count, root.GetProperty("sessionCount").GetInt32());
        AssertSessions(root.GetProperty("sessions").EnumerateArray().ToList(), options);
    }

    [Theory]
    [MemberData(nameof(Toggles))]
    public async Task Json_lines_hold_one_session_per_line(bool messages, bool metadata, bool toolCalls)
    {
        var options = new ExportOptions { IncludeMessages = messages, IncludeMetadata = metadata, IncludeToolCalls = toolCalls };
        var text = Encoding.UTF8.GetString(await SampleDocuments.WriteAsync(ExportFormat.JsonLines, options));

        Assert.EndsWith("\n", text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        AssertSessions(lines.Select(l => JsonDocument.Parse(l).RootElement).ToList(), options);
    }

    private static void AssertSessions(List<JsonElement> exported, ExportOptions options)
    {
        Assert.Equal(Sessions.Count, exported.Count);
        for (var i = 0; i < Sessions.Count; i++)
        {
            var (expected, actual) = (Sessions[i], exported[i]);
            Assert.Equal(expected.Id, actual.GetProperty("id").GetGuid());
            Assert.Equal(expected.Title, actual.GetProperty("title").GetString());
            Assert.Equal(expected.Tags, actual.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.EndsWith("Z", actual.GetProperty("createdAt").GetString());
            Assert.Equal(options.IncludeMetadata, actual.TryGetProperty("metadata", out var metadata));
            if (options.IncludeMetadata)
            {
                Assert.Equal(JsonValueKind.Object, metadata.ValueKind);
                Assert.Equal("=cmd", metadata.GetProperty("deep").GetProperty("x").GetString());
            }
            Assert.Equal(options.IncludeMessages, actual.TryGetProperty("messages", out var messages));
            if (!options.IncludeMessages)
            {
                continue;
            }
            var messageList = messages.EnumerateArray().ToList();
            Assert.Equal(expected.Messages.Select(m => m.Content), messageList.Select(m => m.GetProperty("content").GetString()));
            Assert.Equal(expected.Messages.Select(m => m.Role.ToWireName()), messageList.Select(m => m.GetProperty("role").GetString()));
            foreach (var (message, json) in expected.Messages.Zip(messageList))
            {
                Assert.Equal(options.IncludeToolCalls, json.TryGetProperty("toolCalls", out var calls));
                if (options.IncludeToolCalls)
                {
                    Assert.Equal(message.ToolCalls.Select(c => c.Id), calls.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
                    foreach (var (call, callJson) in message.ToolCalls.Zip(calls.EnumerateArray()))
                    {
                        Assert.Equal(JsonValueKind.Object, callJson.GetProperty("arguments").ValueKind);
                        Assert.Equal(call.ResultJson is null ? JsonValueKind.Null : JsonValueKind.String, callJson.GetProperty("result").ValueKind);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Message_text_is_escaped_only_where_json_requires_and_invalid_utf8_is_replaced()
    {
        var controls = new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c)]);
        var text = controls + "\"quote\" back\\slash \u007f \u2028 é 中文 👩‍👩‍👧 end";
        var session = SessionRecord.From(new ChatSession { Id = Guid.NewGuid(), Title = "t", Model = "m", MetadataJson = "{}", CreatedAt = HostileSessions.Time, UpdatedAt = HostileSessions.Time });
        session.Messages.Add(new MessageRecord { Id = Guid.NewGuid(), Role = MessageRole.User, Content = Encoding.UTF8.GetBytes(text), CreatedAt = HostileSessions.Time });
        session.Messages.Add(new MessageRecord { Id = Guid.NewGuid(), Role = MessageRole.User, Content = new byte[] { (byte)'A', 0xFF, (byte)'B' }, CreatedAt = HostileSessions.Time });
        // Long texts whose escapes outgrow the room first guessed for them, and one whose escapes just fit.
        var escapes = string.Concat(Enumerable.Repeat("\u0001\"\n", 4000)) + "end";
        var lines = string.Concat(Enumerable.Repeat("twenty bytes long..\n", 8000));
        session.Messages.Add(new MessageRecord { Id = Guid.NewGuid(), Role = MessageRole.User, Content = Encoding.UTF8.GetBytes(escapes), CreatedAt = HostileSessions.Time });
        session.Messages.Add(new MessageRecord { Id = Guid.NewGuid(), Role = MessageRole.User, Content = Encoding.UTF8.GetBytes(lines), CreatedAt = HostileSessions.Time });

        var output = new MemoryStream();
        await using (var writer = ExportWriter.Create(ExportFormat.JsonLines, output, new ExportOptions()))
        {
            await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = HostileSessions.Time, SessionCount = 1 });
            await writer.WriteSessionAsync(session);
            await writer.WriteFooterAsync();
        }

        var json = Encoding.UTF8.GetString(output.ToArray());
        var messages = JsonDocument.Parse(json).RootElement.GetProperty("messages");
        Assert.Equal(text, messages[0].GetProperty("content").GetString());
        Assert.Equal("A\uFFFDB", messages[1].GetProperty("content").GetString());
        Assert.Equal(escapes, messages[2].GetProperty("content").GetString());
        Assert.Equal(lines, messages[3].GetProperty("content").GetString());
        Assert.Contains("\\u0000\\u0001", json);
        Assert.Contains("\\b\\t\\n\\u000B\\f\\r", json);
        Assert.Contains("\\u001F\\\"quote\\\" back\\\\slash", json);
        Assert.Contains("é 中文 👩‍👩‍👧 end", json); // kept as UTF-8, not \u escapes
        Assert.Equal(1, json.Count(c => c == '\n')); // JSON Lines: one line per session
    }

    [Fact]
    public async Task Message_text_of_every_length_and_mix_is_escaped_byte_for_byte_as_json_requires()
    {
        // Lengths across the writer's 32-byte blocks, escapes at every position in them, multi-byte
        // characters cut by a block's end, and now and then a byte that is not UTF-8.
        string[] pieces = ["a", "word ", "\n", "\"", "\\", "\t", "\u0001", "\u001f", "é", "中", "👩‍👧", "\u007f", "~", "0123456789abcdef0123456789abcdef"];
        var random = new Random(32);
        var texts = new List<byte[]>();
        for (var i = 0; i < 600; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, i < 300 ? 80 : 400);
            while (text.Length < length)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }
            var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();
            if (i % 10 == 9 && bytes.Count > 0)
            {
                bytes.Insert(random.Next(bytes.Count), 0xC3); // a lead byte without its continuation
            }
            texts.Add([.. bytes]);
        }
        var session = SessionRecord.From(new ChatSession { Id = Guid.NewGuid(), Title = "t", Model = "m", MetadataJson = "{}", CreatedAt = HostileSessions.Time, UpdatedAt = HostileSessions.Time });
        session.Messages.AddRange(texts.Select(t => new MessageRecord { Id = Guid.NewGuid(), Role = MessageRole.User, Content = t, CreatedAt = HostileSessions.Time }));

        var output = new MemoryStream();
        await using (var writer = ExportWriter.Create(ExportFormat.JsonLines, output, new ExportOptions()))
        {
            await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = HostileSessions.Time, SessionCount = 1 });
            await writer.WriteSessionAsync(session);
            await writer.WriteFooterAsync();
        }

        var json = output.ToArray();
        var messages = JsonDocument.Parse(json).RootElement.GetProperty("messages");
        Assert.Equal(texts.Count, messages.GetArrayLength());
        var at = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            Assert.Equal(Encoding.UTF8.GetString(text), messages[i].GetProperty("content").GetString()); // invalid bytes become U+FFFD
            if (System.Text.Unicode.Utf8.IsValid(text))
            {
                var expected = Expected(text);
                var found = json.AsSpan(at).IndexOf(expected);
                Assert.True(found >= 0, $"Text {i} is not written as JSON requires.");
                at += found + expected.Length;
            }
        }

        static byte[] Expected(byte[] text)
        {
            var quoted = new List<byte>(Encoding.ASCII.GetBytes("\"content\":\""));
            foreach (var b in text)
            {
                quoted.AddRange(b switch
                {
                    (byte)'"' => "\\\""u8.ToArray(),
                    (byte)'\\' => "\\\\"u8.ToArray(),
                    (byte)'\n' => "\\n"u8.ToArray(),
                    (byte)'\r' => "\\r"u8.ToArray(),
                    (byte)'\t' => "\\t"u8.ToArray(),
                    (byte)'\b' => "\\b"u8.ToArray(),
                    (byte)'\f' => "\\f"u8.ToArray(),
                    < 0x20 => Encoding.ASCII.GetBytes($"\\u{b:X4}"),
                    _ => [b],
                });
            }
            quoted.Add((byte)'"');
            return [.. quoted];
        }
    }

    [Theory]
    [MemberData(nameof(Toggles))]
    public async Task Csv_is_rfc_4180_one_row_per_message_and_neutralises_formulas(bool messages, bool metadata, bool toolCalls)
    {
        var options = new ExportOptions { IncludeMessages = messages, IncludeMetadata = metadata, IncludeToolCalls = toolCalls };
        var rows = ParseCsv(await SampleDocuments.WriteAsync(ExportFormat.Csv, options));
        var header = rows[0];

        Assert.Equal(toolCalls, header.Contains("tool_calls"));
        Assert.Equal(metadata, header.Contains("metadata"));
        var expectedRows = Sessions.Sum(s => messages && s.Messages.Count > 0 ? s.Messages.Count : 1);
        Assert.Equal(expectedRows, rows.Count - 1);

        var content = Array.IndexOf(header, "content");
        var title = Array.IndexOf(header, "session_title");
        var cells = rows.Skip(1).SelectMany(r => r).ToList();
        // No cell starts with a formula trigger: each was prefixed with a quote mark, and nothing else changed.
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+-@\t\r".Contains(c[0]));
        Assert.Contains(rows, r => r[title] == "'=1+1 title");
        if (messages)
        {
            foreach (var formula in HostileSessions.FormulaCells)
            {
                Assert.Contains(rows, r => r[content] == "'" + formula);
            }
            var multiline = Sessions[2].Messages[0].Content;
            Assert.Contains(rows, r => r[content] == multiline.Replace("\r\n", "\n").Replace("\r", "\n") || r[content] == multiline);
            Assert.Contains(rows, r => r[content].Length == 70 * 1024);
        }
    }

    private static List<string[]> ParseCsv(byte[] bytes)
    {
        using var parser = new TextFieldParser(new StreamReader(new MemoryStream(bytes), Encoding.UTF8))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }
        return rows;
    }

    [Fact]
    public async Task Markdown_keeps_its_structure_whatever_the_content()
    {
        var text = Encoding.UTF8.GetString(await SampleDocuments.WriteAsync(ExportFormat.Markdown, new ExportOptions()));
        var lines = text.Split('\n');

        // One ## per session, one ### per message: content cannot add headings.
        Assert.Equal(Sessions.Count, lines.Count(l => l.StartsWith("## ", StringComparison.Ordinal)));
        var outsideFences = LinesOutsideFences(lines);
        Assert.Equal(Sessions.Sum(s => s.Messages.Count), outsideFences.Count(l => l.StartsWith("### ", StringComparison.Ordinal)));
        Assert.Contains(@"\# Fake heading", lines);
        Assert.Contains("# a comment, not a heading", lines);

        // Every tool-call block's fence is longer than the longest backtick run inside it.
        Assert.Contains("`````json", lines);
        Assert.Equal(0, FenceDepthAtEnd(lines));
    }

    [Fact]
    public async Task Markdown_content_lines_end_at_any_line_break_and_an_open_fence_is_closed()
    {
        var session = new ChatSession { Id = Guid.NewGuid(), Title = "Lines", Model = "m", MetadataJson = "{}", CreatedAt = HostileSessions.Time, UpdatedAt = HostileSessions.Time };
        session.Messages.Add(new ChatMessage
        {
            Id = Guid.NewGuid(), SessionId = session.Id, Order = 0, Role = MessageRole.User, CreatedAt = HostileSessions.Time,
            Content = "crlf\r\ncr\rlf\n  # heading\n~~~~\n# in a fence\n~~~\nstill fenced\n",
        });
        session.Messages[0].ToolCalls.Add(new ToolCall { Id = "c1", Name = "n", MessageId = session.Messages[0].Id, ArgumentsJson = "{\"a\":[1,{\"b\":\"```\"}]}", ResultJson = null });

        var text = Encoding.UTF8.GetString(await SampleDocuments.WriteAsync(ExportFormat.Markdown, new ExportOptions(), [session]));

        Assert.Contains("\n\ncrlf\ncr\nlf\n  \\# heading\n~~~~\n# in a fence\n~~~\nstill fenced\n\n~~~~\n", text);
        Assert.Contains("````json\n{\n  \"arguments\": {\n    \"a\": [\n      1,\n      {\n        \"b\": \"```\"\n      }\n    ]\n  },\n  \"result\": null\n}\n````\n", text);
        Assert.DoesNotContain('\r', text);
    }

    private static List<string> LinesOutsideFences(string[] lines) => ScanFences(lines).Outside;

    private static int FenceDepthAtEnd(string[] lines) => ScanFences(lines).OpenAtEnd ? 1 : 0;

    /// <summary>Walks Markdown lines the way CommonMark opens and closes fences.</summary>
    private static (List<string> Outside, bool OpenAtEnd) ScanFences(string[] lines)
    {
        var outside = new List<string>();
        string? open = null;
        foreach (var line in lines)
        {
            var fence = new string(line.TakeWhile(c => c == '`' || c == '~').ToArray());
            if (open is null && fence.Length >= 3)
            {
                open = fence;
            }
            else if (open is not null && fence.Length >= open.Length && fence[0] == open[0] && line.Trim() == fence)
            {
                open = null;
            }
            else if (open is null)
            {
                outside.Add(line);
            }
        }
        return (outside, open is not null);
    }

    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.JsonLines)]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Markdown)]
    public async Task An_empty_selection_is_a_valid_empty_document(ExportFormat format)
    {
        var bytes = await SampleDocuments.WriteAsync(format, new ExportOptions(), []);
        var text = Encoding.UTF8.GetString(bytes);

        switch (format)
        {
            case ExportFormat.Json:
                Assert.Equal(0, JsonDocument.Parse(bytes).RootElement.GetProperty("sessions").GetArrayLength());
                break;
            case ExportFormat.JsonLines:
                Assert.Empty(bytes);
                break;
            case ExportFormat.Csv:
                Assert.Single(ParseCsv(bytes));
                break;
            case ExportFormat.Markdown:
                Assert.StartsWith("# Chat sessions export", text);
                break;
        }
    }

}
