using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Exporting.Pipeline;

/// <summary>
/// An export reads one consistent snapshot even while sessions change under it: its several reading
/// connections must all see the moment the selection was made.
/// </summary>
public sealed class ExportSnapshotTests() : ApiTest(demoSessions: 2400)
{
    [Fact]
    public async Task An_export_racing_a_stream_of_appends_matches_its_header_and_each_session_is_one_state()
    {
        var sessions = App.Services.GetRequiredService<SessionStore>();
        // Sessions of the export's second batch, which its second connection reads.
        List<Guid> ids;
        await using (var db = App.CreateDbContext())
        {
            ids = await db.Sessions.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Skip(500).Take(500).Select(s => s.Id).ToListAsync();
        }
        using var stop = new CancellationTokenSource();
        var appended = 0;
        var appender = Task.Run(async () =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var message = new ChatMessage { Id = Guid.NewGuid(), Role = MessageRole.User, Content = $"appended #{appended}" };
                await sessions.AppendAsync(ids[random.Next(ids.Count)], [message]);
                appended++;
            }
        });

        try
        {
            for (var run = 0; run < 3; run++)
            {
                var job = await ExportAsync(new { format = "json" });
                Assert.Equal("completed", job.GetProperty("status").GetString());
                using var document = JsonDocument.Parse(await Client.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download"));
                var root = document.RootElement;
                var exported = root.GetProperty("sessions").EnumerateArray().ToList();

                Assert.Equal(root.GetProperty("sessionCount").GetInt32(), exported.Count);
                Assert.Equal(root.GetProperty("messageCount").GetInt32(), exported.Sum(s => s.GetProperty("messages").GetArrayLength()));
                Assert.Equal(job.GetProperty("messageCount").GetInt32(), root.GetProperty("messageCount").GetInt32());
                foreach (var session in exported.Where(s => s.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("content").GetString()!.StartsWith("appended #"))))
                {
                    // An append sets the session's updatedAt to its message's time, in one transaction.
                    var last = session.GetProperty("messages").EnumerateArray().Last();
                    Assert.Equal(session.GetProperty("updatedAt").GetDateTime(), last.GetProperty("createdAt").GetDateTime());
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await appender;
        }
        Assert.True(appended > 10, $"only {appended} appends ran beside the exports");
    }
}
