using System.Data.Common;
using System.Diagnostics;
using ExportStudio.Core.Data.Bulk;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Data.DemoData;

/// <summary>
/// Fills a database with generated sessions until their JSON export would reach a target size; used to
/// build benchmark data sets of hundreds of megabytes to gigabytes in minutes.
/// </summary>
/// <remarks>
/// EF change tracking costs more than the data itself at this scale, so rows go through the prepared
/// commands of <see cref="SessionBulkWriter"/> inside large transactions.
/// </remarks>
public sealed class BulkSeeder(IDbContextFactory<ExportStudioDbContext> contextFactory)
{
    private const int SessionsPerTransaction = 2_000;

    // Bytes a session, message and tool call add to the JSON document beyond their text fields:
    // property names, quotes, ids and timestamps. Measured against real exports of generated data.
    private const int SessionOverhead = 260;
    private const int MessageOverhead = 150;
    private const int ToolCallOverhead = 60;

    public Task<BulkSeedResult> SeedAsync(long targetJsonBytes, IProgress<BulkSeedResult>? progress = null, int seed = DemoDataGenerator.DefaultSeed, CancellationToken cancellationToken = default)
    {
        // The first index is the number of sessions already there, which the demo generator's seed has always included.
        DemoDataGenerator? generator = null;
        return SeedAsync(targetJsonBytes, index => (generator ??= new DemoDataGenerator(seed + index)).NextSession(index), progress, cancellationToken);
    }

    /// <summary>Fills the database the same way from any source of sessions (benchmark data sets other than the demo data).</summary>
    /// <param name="nextSession">
    /// Called once per session, in order, with its index in the database (the sessions already there count);
    /// the session's messages and tool calls must already carry their parents' keys and their order.
    /// </param>
    public async Task<BulkSeedResult> SeedAsync(long targetJsonBytes, Func<int, ChatSession> nextSession, IProgress<BulkSeedResult>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);

        var existing = await context.Sessions.CountAsync(cancellationToken);
        long estimatedBytes = 0;
        int sessions = 0, messages = 0;

        while (estimatedBytes < targetJsonBytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            using var writer = new SessionBulkWriter(context, connection, transaction);
            for (var i = 0; i < SessionsPerTransaction && estimatedBytes < targetJsonBytes; i++)
            {
                var session = nextSession(existing + sessions);
                writer.Add(session);
                estimatedBytes += EstimateJsonBytes(session);
                sessions++;
                messages += session.Messages.Count;
            }

            await transaction.CommitAsync(cancellationToken);
            progress?.Report(new BulkSeedResult(sessions, messages, estimatedBytes, stopwatch.Elapsed));
        }

        return new BulkSeedResult(sessions, messages, estimatedBytes, stopwatch.Elapsed);
    }

    /// <summary>The bytes a session adds to the JSON document: its text fields plus the fixed overheads above.</summary>
    private static long EstimateJsonBytes(ChatSession session)
    {
        long bytes = SessionOverhead + session.Title.Length + session.Model.Length + session.MetadataJson.Length + session.Tags.Sum(t => t.Length + 3);
        foreach (var message in session.Messages)
        {
            bytes += MessageOverhead + System.Text.Encoding.UTF8.GetByteCount(message.Content) + message.Content.Length / 20;
            foreach (var call in message.ToolCalls)
            {
                bytes += ToolCallOverhead + call.Id.Length + call.Name.Length + call.ArgumentsJson.Length + (call.ResultJson?.Length ?? 4);
            }
        }
        return bytes;
    }
}

public sealed record BulkSeedResult(int Sessions, int Messages, long EstimatedJsonBytes, TimeSpan Elapsed);
