using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Exporting.Pipeline;

public sealed class ExportPipelineTests : IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 60);
    private ExportJobService Jobs => _app.Services.GetRequiredService<ExportJobService>();

    public Task InitializeAsync()
    {
        _ = _app.Server; // start the host: migrate and seed
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<ExportJob> ExportAsync(ExportRequest request)
    {
        var created = await Jobs.CreateAsync(request);
        Assert.Null(created.Errors);
        return await Jobs.WaitUntilFinishedAsync(created.Job!.Id);
    }

    private async Task<JsonDocument> ReadJsonAsync(ExportJob job)
    {
        Assert.Equal(ExportJobStatus.Completed, job.Status);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_app.ExportDirectory, job.FileName!));
        return JsonDocument.Parse(bytes);
    }

    [Fact]
    public async Task A_json_export_contains_every_session_in_the_database_with_its_messages()
    {
        var job = await ExportAsync(new ExportRequest { Formats = [ExportFormat.Json] });

        using var document = await ReadJsonAsync(job);
        await using var db = _app.CreateDbContext();
        var expected = await db.Sessions.Include(s => s.Messages).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).AsNoTracking().ToListAsync();
        var sessions = document.RootElement.GetProperty("sessions").EnumerateArray().ToList();

        Assert.Equal(1, document.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(expected.Count, document.RootElement.GetProperty("sessionCount").GetInt32());
        Assert.Equal(expected.Select(s => s.Id), sessions.Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(expected.Sum(s => s.Messages.Count), sessions.Sum(s => s.GetProperty("messages").GetArrayLength()));
        Assert.Equal(expected.Count, job.SessionCount);
        Assert.Equal(expected.Sum(s => s.Messages.Count), job.MessageCount);
        Assert.Equal("export_" + job.Id + ".json", job.FileName);
        Assert.Equal("application/json", job.ContentType);
    }

    [Fact]
    public async Task Filters_select_by_date_range_model_tag_ids_and_text()
    {
        var all = new DemoDataGenerator().Generate(60).ToList();
        var from = all[10].CreatedAt;
        var to = all[40].CreatedAt;
        var model = all[0].Model;
        var tag = all.First(s => s.Tags.Count > 0).Tags[0];
        var ids = all.Take(5).Select(s => s.Id).ToList();
        var cases = new (ExportFilters Filters, IEnumerable<ChatSession> Expected)[]
        {
            (new ExportFilters { From = from, To = to }, all.Where(s => s.CreatedAt >= from && s.CreatedAt <= to)),
            (new ExportFilters { Models = [model] }, all.Where(s => s.Model == model)),
            (new ExportFilters { Tags = [tag] }, all.Where(s => s.Tags.Contains(tag))),
            (new ExportFilters { SessionIds = ids }, all.Where(s => ids.Contains(s.Id))),
            (new ExportFilters { Search = "KYOTO" }, all.Where(s => s.Title.Contains("Kyoto", StringComparison.OrdinalIgnoreCase) || s.Messages.Any(m => m.Content.Contains("kyoto", StringComparison.OrdinalIgnoreCase)))),
            (new ExportFilters { Models = [model], From = from }, all.Where(s => s.Model == model && s.CreatedAt >= from)),
        };

        foreach (var (filters, expected) in cases)
        {
            var job = await ExportAsync(new ExportRequest { Formats = [ExportFormat.JsonLines], Filters = filters });
            var lines = (await File.ReadAllLinesAsync(Path.Combine(_app.ExportDirectory, job.FileName!))).Where(l => l.Length > 0);
            var exported = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetGuid()).Order().ToList();
            Assert.Equal(expected.Select(s => s.Id).Order().ToList(), exported);
            Assert.NotEmpty(exported);
        }
    }

    [Fact]
    public async Task Message_counts_leave_out_a_session_still_being_imported_with_and_without_filters()
    {
        var visible = new DemoDataGenerator().Generate(60).ToList();
        var staged = Guid.NewGuid();
        await using (var db = _app.CreateDbContext())
        {
            db.Sessions.Add(new ChatSession
            {
                Id = staged, Title = "staged", Model = visible[0].Model, CreatedAt = visible[20].CreatedAt, UpdatedAt = visible[20].CreatedAt, PendingImport = "run-staged",
                Messages = Enumerable.Range(0, 7).Select(i => new ChatMessage { Id = Guid.NewGuid(), SessionId = staged, Role = MessageRole.User, Content = "hidden", Order = i, CreatedAt = visible[20].CreatedAt }).ToList(),
            });
            await db.SaveChangesAsync();
        }
        var model = visible[0].Model;
        var cases = new (ExportFilters Filters, IEnumerable<ChatSession> Expected)[]
        {
            (ExportFilters.None, visible),
            (new ExportFilters { Models = [model] }, visible.Where(s => s.Model == model)),
            (new ExportFilters { Search = "KYOTO" }, visible.Where(s => s.Title.Contains("Kyoto", StringComparison.OrdinalIgnoreCase) || s.Messages.Any(m => m.Content.Contains("kyoto", StringComparison.OrdinalIgnoreCase)))),
        };

        foreach (var (filters, expected) in cases)
        {
            var job = await ExportAsync(new ExportRequest { Formats = [ExportFormat.Json], Filters = filters });

            using var document = await ReadJsonAsync(job);
            var sessions = document.RootElement.GetProperty("sessions").EnumerateArray().ToList();
            Assert.DoesNotContain(staged, sessions.Select(s => s.GetProperty("id").GetGuid()));
            Assert.Equal(expected.Sum(s => s.Messages.Count), document.RootElement.GetProperty("messageCount").GetInt32());
            Assert.Equal(expected.Sum(s => s.Messages.Count), sessions.Sum(s => s.GetProperty("messages").GetArrayLength()));
            Assert.Equal(expected.Sum(s => s.Messages.Count), job.MessageCount);
        }
    }

    [Fact]
    public async Task Only_a_selection_without_filters_says_it_holds_every_session()
    {
        await using var db = _app.CreateDbContext();
        var model = (await db.Sessions.FirstAsync()).Model;

        var everything = await SessionSelection.SelectAsync(db, new ExportFilters(), CancellationToken.None);
        var filtered = await SessionSelection.SelectAsync(db, new ExportFilters { Models = [model] }, CancellationToken.None);
        var changed = await SessionSelection.SelectAsync(db, new ExportFilters(), CancellationToken.None, changedAfter: -1);

        Assert.True(everything.Everything);
        Assert.Equal(await db.Sessions.CountAsync(), everything.SessionCount);
        Assert.False(filtered.Everything);
        Assert.False(changed.Everything);
        Assert.Equal(everything.SessionIds, changed.SessionIds);
    }

    [Fact]
    public async Task A_selection_that_emptied_after_its_job_was_queued_still_makes_a_valid_empty_export()
    {
        // Creating a job refuses a selection of nothing, but its sessions can be deleted before it runs.
        var request = new ExportRequest { Formats = [ExportFormat.Json], Filters = new ExportFilters { Search = "no session contains this text" } }.Normalize();
        var run = new ExportRun(Guid.NewGuid(), Attempt: 1, request, DateTime.UtcNow);

        var result = await _app.Services.GetRequiredService<ExportPipeline>().RunAsync(run, new Progress<ExportPipelineProgress>(), CancellationToken.None);

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_app.ExportDirectory, result.FileName)));
        Assert.Equal(0, document.RootElement.GetProperty("sessionCount").GetInt32());
        Assert.Equal(0, document.RootElement.GetProperty("sessions").GetArrayLength());
        Assert.Equal(0, result.Selection.SessionCount);
    }

    [Fact]
    public async Task Include_toggles_leave_out_messages_metadata_and_tool_calls()
    {
        var withoutMessages = await ExportAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { IncludeMessages = false } });
        var withoutExtras = await ExportAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { IncludeMetadata = false, IncludeToolCalls = false } });

        using (var document = await ReadJsonAsync(withoutMessages))
        {
            Assert.All(document.RootElement.GetProperty("sessions").EnumerateArray(), s => Assert.False(s.TryGetProperty("messages", out _)));
            Assert.Equal(0, withoutMessages.MessageCount);
        }
        using (var document = await ReadJsonAsync(withoutExtras))
        {
            var sessions = document.RootElement.GetProperty("sessions").EnumerateArray().ToList();
            Assert.All(sessions, s => Assert.False(s.TryGetProperty("metadata", out _)));
            Assert.All(sessions.SelectMany(s => s.GetProperty("messages").EnumerateArray()), m => Assert.False(m.TryGetProperty("toolCalls", out _)));
            Assert.Contains(sessions, s => s.GetProperty("messages").GetArrayLength() > 0);
        }
    }

    [Fact]
    public async Task Sessions_read_in_many_small_batches_on_two_connections_match_the_database()
    {
        await using var db = _app.CreateDbContext();
        await using var reader = await ExportSessionReader.OpenAsync(_app.Services.GetRequiredService<IDbContextFactory<ExportStudioDbContext>>(), connections: 2, CancellationToken.None);
        var selection = await SessionSelection.SelectAsync(reader.Database, new ExportFilters(), CancellationToken.None);

        // Batches of 7 over 60 sessions: each reader reuses the records of its written batches several times.
        var read = new List<string>();
        await foreach (var session in reader.ReadAsync(selection, new ExportOptions(), batchSize: 7))
        {
            read.Add(Describe(session)); // a record is valid only until the next one is requested
        }

        var stored = await db.Sessions.Include(s => s.Messages).ThenInclude(m => m.ToolCalls).AsNoTracking()
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync();
        Assert.Equal(stored.Select(s => Describe(SessionRecord.From(s))), read);
        Assert.Contains(stored, s => s.Messages.Any(m => m.ToolCalls.Count > 0));
    }

    [Theory]
    [InlineData(0)] // the messages with tool calls listed first, each batch looking up theirs
    [InlineData(int.MaxValue)] // a tool call looked for under every message
    public async Task Both_ways_of_reading_tool_calls_bring_each_call_with_its_own_message_in_its_order(int locateFirstFrom)
    {
        var time = new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        var session = new ChatSession { Id = Guid.NewGuid(), Title = "Tools", Model = "gpt-4o", CreatedAt = time, UpdatedAt = time, MetadataJson = "{}" };
        session.Messages.AddRange(Enumerable.Range(0, 3).Select(order => new ChatMessage
        {
            Id = Guid.NewGuid(), SessionId = session.Id, Order = order, Role = MessageRole.Assistant, Content = $"message {order}", CreatedAt = time.AddMinutes(order),
        }));
        // Stored out of order, with ids that sort the other way: the reader must follow Order alone.
        var calling = session.Messages[1];
        calling.ToolCalls.AddRange(new[] { 2, 0, 1 }.Select(order => new ToolCall { Id = $"call_{"zma"[order]}", Name = "step", MessageId = calling.Id, Order = order, ArgumentsJson = $"{{\"step\":{order}}}" }));
        await using (var db = _app.CreateDbContext())
        {
            db.Sessions.Add(session);
            await db.SaveChangesAsync();
        }
        await using var reader = await ExportSessionReader.OpenAsync(_app.Services.GetRequiredService<IDbContextFactory<ExportStudioDbContext>>(), connections: 2, CancellationToken.None);
        var selection = await SessionSelection.SelectAsync(reader.Database, new ExportFilters(), CancellationToken.None);

        var read = new List<string>();
        List<string>? calls = null;
        await foreach (var record in reader.ReadAsync(selection, new ExportOptions(), batchSize: 7, locateFirstFrom: locateFirstFrom))
        {
            read.Add(Describe(record));
            if (record.Id == session.Id)
            {
                calls = record.Messages.Select(m => string.Join(",", m.ToolCalls.Select(c => c.Id))).ToList();
            }
        }

        Assert.Equal(["", "call_z,call_m,call_a", ""], calls);
        await using var stored = _app.CreateDbContext();
        var sessions = await stored.Sessions.Include(s => s.Messages).ThenInclude(m => m.ToolCalls).AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync();
        Assert.Equal(sessions.Select(s => Describe(SessionRecord.From(s))), read);
        Assert.True(sessions.Count(s => s.Messages.Any(m => m.ToolCalls.Count > 0)) > 5, "Few sessions with tool calls to read.");
    }

    [Theory]
    [InlineData(false)] // tool calls looked up for the messages that have any
    [InlineData(true)] // tool calls joined to every message
    public async Task Messages_read_by_row_come_in_their_positions_whatever_order_they_were_stored_in(bool joined)
    {
        var time = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        ChatSession Session(string title) => new() { Id = Guid.NewGuid(), Title = title, Model = "m", CreatedAt = time, UpdatedAt = time, MetadataJson = "{}" };
        var (a, b, c, d, e) = (Session("a"), Session("b"), Session("c"), Session("d"), Session("e"));
        // Stored one row at a time, so the row ids follow this order: a and b written turn about (each in
        // pieces), c's positions stored backwards, d after one row of e, which is not read.
        var stored = new List<(ChatSession Session, int Order)> { (a, 0), (b, 0), (a, 1), (b, 1), (a, 2), (b, 2), (c, 2), (c, 1), (c, 0), (e, 0), (d, 0), (d, 1) };
        await using (var db = _app.CreateDbContext())
        {
            db.Sessions.AddRange(a, b, c, d, e);
            await db.SaveChangesAsync();
            foreach (var (session, order) in stored)
            {
                var message = new ChatMessage { Id = Guid.NewGuid(), SessionId = session.Id, Order = order, Role = MessageRole.User, Content = $"{session.Title}{order}", CreatedAt = time };
                if (session == d && order == 1)
                {
                    message.ToolCalls.Add(new ToolCall { Id = "call_d", Name = "look", MessageId = message.Id, Order = 0, ArgumentsJson = "{}" });
                }
                db.Messages.Add(message);
                await db.SaveChangesAsync();
            }
        }

        await using var context = _app.CreateDbContext();
        using var reader = new SessionBatchReader(context);
        reader.MessageRows = reader.ReadMessageRows([d.Id, c.Id, b.Id, a.Id], limit: 1000);
        reader.ToolCallOwners = joined ? null : reader.ReadToolCallOwners(limit: 1000);
        Assert.NotNull(reader.MessageRows);
        Assert.Equal(4, reader.MessageRows.Count); // e is not asked for
        Assert.False(reader.MessageRows[a.Id].InOnePiece);
        Assert.True(reader.MessageRows[c.Id].InOnePiece);
        var everySession = reader.ReadMessageRows([], limit: 1000, everySession: true);
        Assert.NotNull(everySession);
        Assert.Equal(reader.MessageRows[a.Id], everySession[a.Id]);
        Assert.Equal(1, everySession[e.Id].Count); // every session's, e's too
        Assert.True(everySession[e.Id].InOnePiece);
        using var batch = reader.Load([d.Id, c.Id, b.Id, a.Id], new ExportOptions());

        Assert.Equal(["d", "c", "b", "a"], batch.Sessions.Select(s => s.Title));
        Assert.Equal(["d0", "d1", "c0", "c1", "c2", "b0", "b1", "b2", "a0", "a1", "a2"], batch.Sessions.SelectMany(s => s.Messages).Select(m => System.Text.Encoding.UTF8.GetString(m.Content.Span)));
        Assert.Equal(["", "call_d"], batch.Sessions[0].Messages.Select(m => string.Join(",", m.ToolCalls.Select(t => t.Id))));
        Assert.All(batch.Sessions.Skip(1).SelectMany(s => s.Messages), m => Assert.Empty(m.ToolCalls));
    }

    [Fact]
    public async Task A_message_the_tool_call_filter_lets_through_without_calls_gets_none()
    {
        await using var db = _app.CreateDbContext();
        var stored = await db.Sessions.Include(s => s.Messages).ThenInclude(m => m.ToolCalls).AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync();
        using var reader = new SessionBatchReader(db);
        // The filter's worst case: every message passes it, so most are looked up for calls they do not have.
        reader.ToolCallOwners = new MessageIdFilter(stored.SelectMany(s => s.Messages).Select(m => m.Id).ToList());

        using var batch = reader.Load(stored.Select(s => s.Id).ToList(), new ExportOptions());

        Assert.Equal(stored.Select(s => Describe(SessionRecord.From(s))), batch.Sessions.Select(Describe));
        Assert.Contains(stored, s => s.Messages.Any(m => m.ToolCalls.Count == 0));
        Assert.Contains(stored, s => s.Messages.Any(m => m.ToolCalls.Count > 0));
    }

    [Fact]
    public async Task The_list_of_messages_with_tool_calls_is_given_up_past_its_limit()
    {
        await using var db = _app.CreateDbContext();
        var owners = await db.ToolCalls.Select(c => c.MessageId).Distinct().ToListAsync();
        using var reader = new SessionBatchReader(db);

        var filter = reader.ReadToolCallOwners(limit: owners.Count);
        Assert.NotNull(filter);
        Assert.Equal(owners.Count, filter.Count);
        Assert.All(owners, id => Assert.True(filter.MightContain(id)));
        Assert.Null(reader.ReadToolCallOwners(limit: owners.Count - 1));
    }

    private static string Describe(SessionRecord session)
    {
        static string Text(ReadOnlyMemory<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8.Span);
        var messages = session.Messages.OrderBy(m => m.CreatedAt).Select(m =>
            $"{m.Id}:{m.Role}:{Text(m.Content)}:{m.CreatedAt.Ticks}:" + string.Join(";", m.ToolCalls.OrderBy(c => c.Order).Select(c =>
                $"{c.Id}/{c.Name}/{c.Order}/{Text(c.ArgumentsJson)}/{(c.ResultJson is { } r ? Text(r) : "null")}")));
        return $"{session.Id}|{session.Title}|{session.Model}|{string.Join(",", session.Tags)}|{Text(session.MetadataJson)}|{session.CreatedAt.Ticks}|{session.UpdatedAt.Ticks}|" +
               string.Join("\n", messages);
    }

    [Fact]
    public async Task Tool_calls_come_with_their_own_message_in_their_order_and_no_message_repeats()
    {
        var time = new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        var session = new ChatSession { Id = Guid.NewGuid(), Title = "Tools", Model = "gpt-4o", CreatedAt = time, UpdatedAt = time, MetadataJson = "{}" };
        var big = new string('é', 200_000); // larger than a text chunk: a pooled array of its own
        var messages = new[] { "three tools", "no tools", big, "one tool, no result" }
            .Select((content, order) => new ChatMessage { Id = Guid.NewGuid(), SessionId = session.Id, Order = order, Role = MessageRole.Assistant, Content = content, CreatedAt = time.AddMinutes(order) })
            .ToList();
        // Stored out of order, with ids that sort the other way: the export must follow Order alone.
        messages[0].ToolCalls.AddRange(new[] { 2, 0, 1 }.Select(order => new ToolCall { Id = $"call_{"zma"[order]}", Name = "step", MessageId = messages[0].Id, Order = order, ArgumentsJson = $"{{\"step\":{order}}}", ResultJson = "\"ok\"" }));
        messages[2].ToolCalls.Add(new ToolCall { Id = "call_big", Name = "echo", MessageId = messages[2].Id, ArgumentsJson = "{}", ResultJson = "[1,2]" });
        messages[3].ToolCalls.Add(new ToolCall { Id = "call_null", Name = "fire", MessageId = messages[3].Id, ArgumentsJson = "{\"a\":[]}", ResultJson = null });
        session.Messages.AddRange(messages);
        var empty = new ChatSession { Id = Guid.NewGuid(), Title = "No messages", Model = "gpt-4o", CreatedAt = time.AddHours(1), UpdatedAt = time.AddHours(1), MetadataJson = "{}" };
        await using (var db = _app.CreateDbContext())
        {
            db.Sessions.AddRange(session, empty);
            await db.SaveChangesAsync();
        }

        var job = await ExportAsync(new ExportRequest { Formats = [ExportFormat.Json], Filters = new ExportFilters { SessionIds = [session.Id, empty.Id] } });

        using var document = await ReadJsonAsync(job);
        var sessions = document.RootElement.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal([session.Id, empty.Id], sessions.Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(0, sessions[1].GetProperty("messages").GetArrayLength());
        var exported = sessions[0].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(messages.Select(m => m.Id), exported.Select(m => m.GetProperty("id").GetGuid()));
        Assert.Equal(big, exported[2].GetProperty("content").GetString());
        var calls = exported.Select(m => m.GetProperty("toolCalls").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList()).ToList();
        Assert.Equal(["call_z", "call_m", "call_a"], calls[0]);
        Assert.Empty(calls[1]);
        Assert.Equal(["call_big"], calls[2]);
        Assert.Equal(["call_null"], calls[3]);
        Assert.Equal(1, exported[0].GetProperty("toolCalls")[1].GetProperty("arguments").GetProperty("step").GetInt32());
        Assert.Equal(JsonValueKind.Null, exported[3].GetProperty("toolCalls")[0].GetProperty("result").ValueKind);
        Assert.Equal(4, job.MessageCount);
    }

    [Fact]
    public async Task Several_formats_make_one_archive_with_one_entry_per_format()
    {
        var job = await ExportAsync(new ExportRequest
        {
            Formats = [ExportFormat.Json, ExportFormat.Csv, ExportFormat.Markdown],
            Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd },
        });

        Assert.Equal(CompressionFormat.TarZst, job.CompressionFormat);
        Assert.Equal($"export_{job.Id}.tar.zst", job.FileName);
        var listing = await ExternalTool.RunAsync("tar", ["--zstd", "-tf", Path.Combine(_app.ExportDirectory, job.FileName!)]);
        Assert.Equal(
            [$"export_{job.Id}.json", $"export_{job.Id}.csv", $"export_{job.Id}.md"],
            listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Progress_events_arrive_in_order_and_end_at_100_percent()
    {
        var feed = _app.Services.GetRequiredService<ExportProgressFeed>();
        var events = new List<ExportProgress>();
        var finished = new TaskCompletionSource();
        using var subscription = feed.Subscribe(null, progress =>
        {
            lock (events)
            {
                events.Add(progress);
            }
            if (progress.IsFinished)
            {
                finished.TrySetResult();
            }
            return Task.CompletedTask;
        });

        var created = await Jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.TarGz } });
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var mine = events.Where(e => e.JobId == created.Job!.Id).ToList();
        Assert.Equal(ExportJobStatus.Queued, mine[0].Status);
        Assert.Equal(ExportJobStatus.Completed, mine[^1].Status);
        Assert.Equal(100, mine[^1].Percent);
        Assert.Equal(60, mine[^1].SessionsSelected);
        Assert.True(mine[^1].BytesIn > mine[^1].BytesOut, "tar.gz should have made the export smaller");
        Assert.True(mine[^1].EstimatedSavings > 50);
        for (var i = 1; i < mine.Count; i++)
        {
            Assert.True(mine[i].Percent >= mine[i - 1].Percent, $"percent went back from {mine[i - 1].Percent} to {mine[i].Percent}");
            Assert.True(mine[i].Stage >= mine[i - 1].Stage || mine[i].IsFinished, $"stage went back from {mine[i - 1].Stage} to {mine[i].Stage}");
        }
    }

    [Fact]
    public async Task Invalid_requests_name_every_problem()
    {
        var result = await Jobs.CreateAsync(new ExportRequest
        {
            Formats = [],
            Filters = new ExportFilters { From = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc), To = new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), SessionIds = [Guid.NewGuid()] },
            Options = new ExportOptions { CompressionFormat = CompressionFormat.TarGz, CompressionLevel = 12 },
        });

        Assert.Null(result.Job);
        Assert.Contains("Choose at least one format", result.Errors!["formats"][0]);
        Assert.Equal("Compression level 12 is out of range for tar.gz: allowed levels are 1-9.", result.Errors["options.compressionLevel"][0]);
        Assert.Contains("'from' must not be later than 'to'", result.Errors["filters.from"][0]);
        Assert.StartsWith("No session has the id", result.Errors["filters.sessionIds"][0]);
        await using var db = _app.CreateDbContext();
        Assert.Equal(0, await db.ExportJobs().CountAsync());
    }
}
