
namespace ExportStudio.Tests.Support;

/// <summary>Export documents written by the real writers from sessions held in memory (the hostile ones by default).</summary>
public static class SampleDocuments
{
    public static async Task<byte[]> WriteAsync(ExportFormat format, ExportOptions options, IReadOnlyList<ChatSession>? sessions = null)
    {
        sessions ??= HostileSessions.Default;
        using var output = new MemoryStream();
        await using (var writer = ExportWriter.Create(format, output, options))
        {
            await writer.WriteHeaderAsync(new ExportDocumentHeader
            {
                ExportedAt = HostileSessions.Time, Options = options, SessionCount = sessions.Count,
                MessageCount = options.IncludeMessages ? sessions.Sum(s => s.Messages.Count) : 0,
                Contents = sessions.Select(s => new SessionHeading(s.Id, s.Title, s.CreatedAt, s.Messages.Count)).ToAsyncEnumerable(),
            });
            foreach (var session in sessions)
            {
                await writer.WriteSessionAsync(SessionRecord.From(session));
            }
            await writer.WriteFooterAsync();
        }
        return output.ToArray();
    }
}
