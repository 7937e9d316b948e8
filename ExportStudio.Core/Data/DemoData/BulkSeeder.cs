using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Data.DemoData;

/// <summary>
/// Fills a database with generated sessions until their JSON export would reach a target size; used to
/// build benchmark data sets of hundreds of megabytes to gigabytes in minutes.
/// </summary>
/// <remarks>
/// EF change tracking costs more than the data itself at this scale, so rows go through prepared ADO.NET
/// commands inside large transactions. The SQL is plain INSERT, valid on any provider.
/// </remarks>
public sealed class BulkSeeder(IDbContextFactory<ExportStudioDbContext> contextFactory)
{
    private const int SessionsPerTransaction = 2_000;

    // Bytes a session, message and tool call add to the JSON document beyond their text fields:
    // property names, quotes, ids and timestamps. Measured against real exports of generated data.
    private const int SessionOverhead = 260;
    private const int MessageOverhead = 150;
    private const int ToolCallOverhead = 60;

    public async Task<BulkSeedResult> SeedAsync(long targetJsonBytes, IProgress<BulkSeedResult>? progress = null, int seed = DemoDataGenerator.DefaultSeed, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);

        var existing = await context.Sessions.CountAsync(cancellationToken);
        var generator = new DemoDataGenerator(seed + existing);
        long estimatedBytes = 0;
        int sessions = 0, messages = 0;

        while (estimatedBytes < targetJsonBytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var insertSession = Prepare(connection, transaction,
                "INSERT INTO Sessions (Id, Title, CreatedAt, UpdatedAt, Model, Tags, Metadata) VALUES ($id, $title, $created, $updated, $model, $tags, $metadata)");
            await using var insertMessage = Prepare(connection, transaction,
                "INSERT INTO Messages (Id, SessionId, Role, Content, CreatedAt, \"Order\") VALUES ($id, $session, $role, $content, $created, $order)");
            await using var insertToolCall = Prepare(connection, transaction,
                "INSERT INTO ToolCalls (Id, MessageId, \"Order\", Name, Arguments, Result) VALUES ($id, $message, $order, $name, $arguments, $result)");

            for (var i = 0; i < SessionsPerTransaction && estimatedBytes < targetJsonBytes; i++)
            {
                var session = generator.NextSession(existing + sessions);
                estimatedBytes += Insert(session, insertSession, insertMessage, insertToolCall);
                sessions++;
                messages += session.Messages.Count;
            }

            await transaction.CommitAsync(cancellationToken);
            progress?.Report(new BulkSeedResult(sessions, messages, estimatedBytes, stopwatch.Elapsed));
        }

        return new BulkSeedResult(sessions, messages, estimatedBytes, stopwatch.Elapsed);
    }

    private static long Insert(ChatSession session, DbCommand insertSession, DbCommand insertMessage, DbCommand insertToolCall)
    {
        long bytes = SessionOverhead + session.Title.Length + session.Model.Length + session.MetadataJson.Length;
        Execute(insertSession, session.Id, session.Title, Timestamp(session.CreatedAt), Timestamp(session.UpdatedAt), session.Model,
            System.Text.Json.JsonSerializer.Serialize(session.Tags), session.MetadataJson);
        foreach (var tag in session.Tags)
        {
            bytes += tag.Length + 3;
        }

        foreach (var message in session.Messages)
        {
            bytes += MessageOverhead + System.Text.Encoding.UTF8.GetByteCount(message.Content) + message.Content.Length / 20;
            Execute(insertMessage, message.Id, message.SessionId, message.Role.ToWireName(), message.Content, Timestamp(message.CreatedAt), message.Order);
            foreach (var call in message.ToolCalls)
            {
                bytes += ToolCallOverhead + call.Id.Length + call.Name.Length + call.ArgumentsJson.Length + (call.ResultJson?.Length ?? 4);
                Execute(insertToolCall, call.Id, call.MessageId, call.Order, call.Name, call.ArgumentsJson, call.ResultJson);
            }
        }
        return bytes;
    }

    // The same text form EF Core's SQLite provider uses, so seeded rows sort and filter like any other.
    private static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var start = sql.IndexOf("VALUES", StringComparison.Ordinal);
        foreach (var name in sql[start..].Split(['(', ')', ',', ' '], StringSplitOptions.RemoveEmptyEntries).Where(p => p.StartsWith('$')))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    private static void Execute(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                Guid guid => guid.ToString().ToUpperInvariant(),
                var value => value,
            };
        }
        command.ExecuteNonQuery();
    }
}

public sealed record BulkSeedResult(int Sessions, int Messages, long EstimatedJsonBytes, TimeSpan Elapsed);
