using System.Text;

namespace ExportStudio.Tests.Importing;

/// <summary>The reader of ExportStudio's own documents: what the writers produce reads back, streamed, and every problem is named.</summary>
public sealed class ExportStudioDocumentReaderTests
{
    private static readonly List<ChatSession> Sessions = HostileSessions.Default;

    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.JsonLines)]
    public async Task The_import_reader_round_trips_what_the_writers_produce(ExportFormat format)
    {
        var bytes = await SampleDocuments.WriteAsync(format, new ExportOptions());

        var read = new List<ChatSession>();
        await foreach (var session in ExportStudioDocumentReader.ReadSessionsAsync(new MemoryStream(bytes)))
        {
            read.Add(session);
        }

        Assert.Equal(Sessions.Select(s => s.Id), read.Select(s => s.Id));
        Assert.Equal(Sessions.SelectMany(s => s.Messages).Select(m => (m.Id, m.Content, m.Role, m.CreatedAt)),
            read.SelectMany(s => s.Messages).Select(m => (m.Id, m.Content, m.Role, m.CreatedAt)));
        Assert.Equal(Sessions.SelectMany(s => s.Messages).SelectMany(m => m.ToolCalls).Select(c => (c.Id, c.Name, c.ResultJson)),
            read.SelectMany(s => s.Messages).SelectMany(m => m.ToolCalls).Select(c => (c.Id, c.Name, c.ResultJson)));
        Assert.Equal(Sessions.Select(s => s.Title), read.Select(s => s.Title));
    }

    /// <summary>
    /// Reads that stop anywhere — inside a string, right after a nested object's closing brace — give the
    /// sessions one read of the whole file gives, every field of them.
    /// </summary>
    [Theory]
    [InlineData(ExportFormat.Json, 1)]
    [InlineData(ExportFormat.Json, 7)]
    [InlineData(ExportFormat.Json, 13)]
    [InlineData(ExportFormat.JsonLines, 3)]
    [InlineData(ExportFormat.JsonLines, 11)]
    public async Task The_reader_streams_a_document_in_small_reads(ExportFormat format, int readSize)
    {
        var bytes = await SampleDocuments.WriteAsync(format, new ExportOptions());

        var whole = await ReadAllAsync(new MemoryStream(bytes));
        var trickled = await ReadAllAsync(new TrickleStream(bytes, readSize));

        Assert.Equal(Sessions.Count, whole.Count);
        Assert.Equal(whole.Select(Fields), trickled.Select(Fields));
    }

    private static async Task<List<ChatSession>> ReadAllAsync(Stream stream)
    {
        var read = new List<ChatSession>();
        await foreach (var session in ExportStudioDocumentReader.ReadSessionsAsync(stream))
        {
            read.Add(session);
        }
        return read;
    }

    private static string Fields(ChatSession session) =>
        $"{session.Id}|{session.Title}|{session.Model}|{session.CreatedAt:O}|{session.UpdatedAt:O}|{string.Join(",", session.Tags)}|{session.MetadataJson}|" +
        string.Join(";", session.Messages.Select(m => $"{m.Id}|{m.Order}|{m.Role}|{m.Content}|{m.CreatedAt:O}|" +
            string.Join(",", m.ToolCalls.Select(c => $"{c.Id}|{c.Order}|{c.Name}|{c.ArgumentsJson}|{c.ResultJson}"))));

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("[1,2]", "The file starts with an array")]
    [InlineData("{\"version\":2,\"sessions\":[]}", "this ExportStudio reads version 1")]
    [InlineData("{\"version\":1,\"sessions\":[{\"title\":\"no id\"}]}", "needs an \"id\"")]
    [InlineData("{\"version\":1,\"sessions\":[{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\",\"createdAt\":\"soon\"}]}", "\"createdAt\" is \"soon\"")]
    [InlineData("{\"version\":1,\"sessions\":[{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\"", "truncated")]
    [InlineData("{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"messages\":[{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3302\",\"role\":\"robot\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]}", "allowed roles are system, user, assistant, tool")]
    [InlineData("{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"messages\":[{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3302\",\"role\":\"user\",\"createdAt\":\"2026-01-01T00:00:00Z\"},{\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3303\",\"role\":\"user\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"toolCalls\":[{\"id\":\"c1\",\"name\":\"\"}]}]}", "Session #1 (3f2504e0-4f89-41d3-9a0c-0305e82c3301), message #2, tool call #1 needs a \"name\"")]
    public async Task The_reader_names_what_is_wrong(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<ImportFormatException>(async () =>
        {
            await foreach (var _ in ExportStudioDocumentReader.ReadSessionsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json))))
            {
            }
        });

        Assert.Contains(expected, exception.Message);
    }

    [Theory]
    [InlineData("2026-01-05T09:00:00Z")]
    [InlineData("2026-01-05T11:00:00+02:00")]
    [InlineData("2026-01-05T04:00:00.0000000-05:00")]
    [InlineData("2026-01-05T09:00:00")]
    [InlineData("2026-01-05 09:00:00")]
    public async Task Times_with_an_offset_or_none_read_as_the_same_instant_in_utc(string time)
    {
        var json = $$"""{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","createdAt":"{{time}}","messages":[{"id":"{3f2504e0-4f89-41d3-9a0c-0305e82c3302}","role":"user","createdAt":"{{time}}"}]}""";

        var read = new List<ChatSession>();
        await foreach (var session in ExportStudioDocumentReader.ReadSessionsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json))))
        {
            read.Add(session);
        }

        var expected = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);
        Assert.Equal((expected, DateTimeKind.Utc), (read[0].CreatedAt, read[0].CreatedAt.Kind));
        Assert.Equal((expected, DateTimeKind.Utc), (read[0].Messages[0].CreatedAt, read[0].Messages[0].CreatedAt.Kind));
        Assert.Equal(Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3302"), read[0].Messages[0].Id); // braces allowed, as Guid reads them
    }

    private const string Canonical = """
        {"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","title":"Émile ✓","model":"gpt-x","createdAt":"2026-01-05T09:00:00Z","updatedAt":"2026-01-06T09:00:00Z",
         "tags":["a","b"],"metadata":{"k": [1, "\u00e9"]},"messages":[
          {"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3302","role":"user","content":"hi \"there\"","createdAt":"2026-01-05T09:00:00Z"},
          {"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3303","role":"assistant","content":null,"createdAt":"2026-01-05T09:01:00Z",
           "toolCalls":[{"id":"c1","name":"search","arguments":{"q": "x"},"result":[1]},{"id":"c2","name":"noop","arguments":"text","result":null}]}]}
        """;

    /// <summary>
    /// Sessions are read in one pass, and anything that pass does not expect goes to the precise parser: both
    /// must make the same session of the same meaning, however it is spelled.
    /// </summary>
    [Theory]
    [InlineData("\"title\":", "\"t\\u0069tle\":")] // an escaped property name
    [InlineData("\"role\":\"user\"", "\"role\":\"us\\u0065r\"")] // an escaped value the pass compares as bytes
    [InlineData("\"model\":\"gpt-x\",", "\"model\":\"gpt-x\",\"extra\":{\"deep\":[{\"x\":null}]},")] // a property nobody reads
    [InlineData("\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3302\"", "\"id\":\"3F2504E04F8941D39A0C0305E82C3302\"")] // another GUID spelling
    [InlineData("\"createdAt\":\"2026-01-05T09:01:00Z\"", "\"createdAt\":\"2026-01-05 09:01:00\"")] // another time spelling
    [InlineData("\"createdAt\":\"2026-01-05T09:00:00Z\",\"updatedAt\"", "\"createdAt\":\"2026-01-05T10:00:00+01:00\",\"updatedAt\"")] // an offset
    [InlineData("\"id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3302\",\"role\":\"user\",\"content\":\"hi \\\"there\\\"\",\"createdAt\":\"2026-01-05T09:00:00Z\"",
        "\"id\":\"3F2504E04F8941D39A0C0305E82C3302\",\"role\":\"user\",\"content\":\"hi \\\"there\\\"\",\"createdAt\":\"2026-01-05T10:00:00+01:00\"")] // an offset, read by the document parser
    public async Task A_session_reads_the_same_however_it_is_spelled(string canonical, string variant)
    {
        Assert.Contains(canonical, Canonical);
        var expected = await ReadOneAsync(Canonical);

        var read = await ReadOneAsync(Canonical.Replace(canonical, variant, StringComparison.Ordinal));

        Assert.Equal(Describe(expected), Describe(read));
        Assert.Equal("{\"k\": [1, \"\\u00e9\"]}", read.MetadataJson); // raw values keep the file's own text
        Assert.Equal(["{\"q\": \"x\"}", "\"text\""], read.Messages[1].ToolCalls.Select(c => c.ArgumentsJson));
    }

    private static async Task<ChatSession> ReadOneAsync(string json)
    {
        var read = new List<ChatSession>();
        await foreach (var session in ExportStudioDocumentReader.ReadSessionsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json))))
        {
            read.Add(session);
        }
        return Assert.Single(read);
    }

    private static string Describe(ChatSession session) => string.Join("\n",
        new[] { $"{session.Id} {session.Title} {session.Model} {session.CreatedAt:O} {session.UpdatedAt:O} {session.CreatedAt.Kind} [{string.Join(",", session.Tags)}] {session.MetadataJson}" }
            .Concat(session.Messages.Select(m => $"{m.Id} {m.SessionId} {m.Role} {m.Order} {m.Content} {m.CreatedAt:O} {m.CreatedAt.Kind}"))
            .Concat(session.Messages.SelectMany(m => m.ToolCalls).Select(c => $"{c.MessageId} {c.Id} {c.Name} {c.Order} {c.ArgumentsJson} {c.ResultJson ?? "(none)"}")));

    /// <summary>Hands out a few bytes per read, as a slow network or a decompressor can.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
