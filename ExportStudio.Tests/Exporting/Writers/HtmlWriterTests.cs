using System.Security.Cryptography;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ExportStudio.Tests.Exporting.Writers;

/// <summary>The HTML transcript parsed back with an HTML5 parser (AngleSharp): structure, every text, and nothing that could run.</summary>
public sealed class HtmlWriterTests
{
    private static readonly List<ChatSession> Sessions = [.. HostileSessions.Default, HtmlHostileSessions.Create(HostileSessions.Time)];

    public static TheoryData<bool, bool, bool> Toggles() => new()
    {
        { true, true, true }, { false, true, true }, { true, false, true }, { true, true, false }, { false, false, false },
    };

    private static async Task<IDocument> WriteAsync(ExportOptions options, IReadOnlyList<ChatSession>? sessions = null) =>
        new HtmlParser().ParseDocument(Encoding.UTF8.GetString(await SampleDocuments.WriteAsync(ExportFormat.Html, options, sessions ?? Sessions)));

    [Theory]
    [MemberData(nameof(Toggles))]
    public async Task Every_session_and_message_is_there_in_order_under_its_heading(bool messages, bool metadata, bool toolCalls)
    {
        var options = new ExportOptions { IncludeMessages = messages, IncludeMetadata = metadata, IncludeToolCalls = toolCalls };
        var document = await WriteAsync(options);

        Assert.Single(document.QuerySelectorAll("h1"));
        Assert.Single(document.QuerySelectorAll("main"));
        var contents = document.QuerySelectorAll("nav#contents li a").ToList();
        var sections = document.QuerySelectorAll("main > section.session").ToList();
        Assert.Equal(Sessions.Count, sections.Count);
        Assert.Equal(Sessions.Count, contents.Count);
        for (var i = 0; i < Sessions.Count; i++)
        {
            var (expected, section) = (Sessions[i], sections[i]);
            Assert.Equal($"s-{expected.Id}", section.Id);
            Assert.Equal("#" + section.Id, contents[i].GetAttribute("href"));
            Assert.Equal(expected.Title, contents[i].TextContent);
            Assert.Equal(expected.Title, section.QuerySelector("h2")!.TextContent);
            Assert.Contains(expected.Model, section.QuerySelector(".meta")!.TextContent);
            Assert.Equal(metadata, section.QuerySelector("details.metadata") is not null);

            var shown = section.QuerySelectorAll(".msg").ToList();
            Assert.Equal(messages ? expected.Messages.Count : 0, shown.Count);
            foreach (var (message, element) in expected.Messages.Zip(shown))
            {
                Assert.StartsWith($"{message.Order + 1}. {message.Role.ToWireName()}", element.QuerySelector("h3")!.TextContent, StringComparison.OrdinalIgnoreCase);
                Assert.Contains(message.Role.ToWireName(), element.ClassList);
                Assert.Equal(Lines(message.Content), Lines(element.QuerySelector(".text")!));
                var calls = element.QuerySelectorAll("details.call").ToList();
                Assert.Equal(toolCalls ? message.ToolCalls.Count : 0, calls.Count);
                foreach (var (call, details) in message.ToolCalls.Zip(calls))
                {
                    Assert.Equal($"Tool call {call.Name} {call.Id}", details.QuerySelector("summary")!.TextContent);
                    using var json = JsonDocument.Parse(details.QuerySelector("pre")!.TextContent);
                    Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(call.ArgumentsJson).RootElement), JsonSerializer.Serialize(json.RootElement.GetProperty("arguments")));
                }
            }
        }
    }

    [Fact]
    public async Task Hostile_text_stays_text_and_the_file_can_run_nothing()
    {
        var document = await WriteAsync(new ExportOptions());

        Assert.Empty(document.QuerySelectorAll("script, iframe, img, svg, object, embed, form, input, b, i"));
        var all = document.QuerySelectorAll("*").ToList();
        Assert.DoesNotContain(all, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        // The only links are the file's own anchors.
        Assert.All(document.QuerySelectorAll("[href]"), a => Assert.StartsWith("#", a.GetAttribute("href")));
        Assert.Single(document.QuerySelectorAll("style"));

        var hostile = document.QuerySelectorAll("section.session").Last();
        Assert.Equal(HtmlHostileSessions.HostileTitle, hostile.QuerySelector("h2")!.TextContent);
        var texts = hostile.QuerySelectorAll(".msg .text").Select(t => t.TextContent).ToList();
        Assert.Contains(HtmlHostileSessions.Attacks[0], texts);
        Assert.Contains(HtmlHostileSessions.Attacks[1], texts);
        // A fence becomes code, its content shown as text.
        Assert.Equal("<script>alert('fenced')</script>", hostile.QuerySelector(".text pre > code")!.TextContent);

        // The file's own policy forbids scripts and allows only its style sheet, by hash.
        var policy = document.QuerySelector("meta[http-equiv=Content-Security-Policy]")!.GetAttribute("content")!;
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(document.QuerySelector("style")!.TextContent)));
        Assert.Contains($"'sha256-{hash}'", policy);
        Assert.DoesNotContain("script-src", policy);
    }

    [Fact]
    public async Task Control_characters_show_as_pictures_and_invalid_utf8_as_replacement()
    {
        var session = new ChatSession { Id = Guid.NewGuid(), Title = "t", Model = "m", MetadataJson = "{}", CreatedAt = HostileSessions.Time, UpdatedAt = HostileSessions.Time };
        var record = SessionRecord.From(session);
        record.Messages.Add(new MessageRecord { Id = Guid.NewGuid(), Role = MessageRole.User, Content = "a\u0000b\u001bc\u007fd\te"u8.ToArray(), CreatedAt = HostileSessions.Time });
        record.Messages.Add(new MessageRecord { Id = Guid.NewGuid(), Role = MessageRole.User, Content = new byte[] { (byte)'A', 0xFF, (byte)'<' }, CreatedAt = HostileSessions.Time });

        var output = new MemoryStream();
        await using (var writer = ExportWriter.Create(ExportFormat.Html, output, new ExportOptions()))
        {
            await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = HostileSessions.Time, SessionCount = 1 });
            await writer.WriteSessionAsync(record);
            await writer.WriteFooterAsync();
        }
        var html = Encoding.UTF8.GetString(output.ToArray());
        var texts = new HtmlParser().ParseDocument(html).QuerySelectorAll(".msg .text").Select(t => t.TextContent).ToList();

        Assert.Equal(["a\u2400b\u241bc\u2421d\te", "A\uFFFD<"], texts);
        // Without a listing there is no table of contents, and no link back to one.
        Assert.DoesNotContain("<nav", html);
        Assert.DoesNotContain("#contents", html);
    }

    [Fact]
    public async Task An_empty_selection_is_a_valid_page_that_says_so()
    {
        var document = await WriteAsync(new ExportOptions(), []);

        Assert.Equal("Chat sessions export", document.QuerySelector("h1")!.TextContent);
        Assert.Contains("No sessions were selected.", document.QuerySelector("nav")!.TextContent);
        Assert.Empty(document.QuerySelectorAll("section.session"));
    }

    /// <summary>The non-blank lines of a text, as shown: fence lines dropped, control characters as their pictures.</summary>
    private static List<string> Lines(string content)
    {
        var shown = string.Concat(content.Select(c => c is < ' ' and not ('\t' or '\n' or '\r') ? (char)(0x2400 + c) : c));
        return shown.Split(["\r\n", "\r", "\n"], StringSplitOptions.None)
            .Where(l => l.Trim().Length > 0 && !l.TrimStart(' ').StartsWith("```", StringComparison.Ordinal) && !l.TrimStart(' ').StartsWith("~~~", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>The non-blank lines of each paragraph and code block of a rendered message, in order.</summary>
    private static List<string> Lines(IElement text) => text.Children
        .SelectMany(block => block.TextContent.Split('\n'))
        .Where(l => l.Trim().Length > 0)
        .ToList();
}
