using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Data;

/// <summary>SQLite's write-ahead log, which a large write that is rolled back leaves at the size it grew to.</summary>
public static class WriteAheadLog
{
    /// <summary>
    /// Writes what the log holds into the database and truncates the log file to nothing. Best effort, on a
    /// connection of its own that waits two seconds at most: a reader holding an old snapshot (a running
    /// export) keeps the log until it finishes, and then a later checkpoint does the work.
    /// </summary>
    public static Task TruncateAsync(IDbContextFactory<ExportStudioDbContext> contextFactory) => CheckpointAsync(contextFactory, "TRUNCATE", waitSeconds: 2);

    /// <summary>
    /// Writes into the database what the log holds and no reader still needs, without waiting for anyone;
    /// best effort, like <see cref="TruncateAsync"/>.
    /// </summary>
    public static Task CopyIntoDatabaseAsync(IDbContextFactory<ExportStudioDbContext> contextFactory) => CheckpointAsync(contextFactory, "PASSIVE", waitSeconds: 1);

    private static async Task CheckpointAsync(IDbContextFactory<ExportStudioDbContext> contextFactory, string mode, int waitSeconds)
    {
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync();
            if (db.Database.GetDbConnection() is not SqliteConnection pooled)
            {
                return;
            }
            var builder = new SqliteConnectionStringBuilder(pooled.ConnectionString) { Pooling = false, DefaultTimeout = waitSeconds };
            await using var connection = new SqliteConnection(builder.ToString());
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            await command.ExecuteNonQueryAsync();
        }
        catch (SqliteException)
        {
            // Busy, or the disk still full: the log shrinks at a later checkpoint.
        }
    }
}
