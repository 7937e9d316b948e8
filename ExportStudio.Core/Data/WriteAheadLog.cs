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

    /// <summary>
    /// Puts on the disk what the log of <paramref name="databasePath"/> holds so far (fdatasync of the log file),
    /// on a thread of its own; best effort. Commits that do not wait for the disk leave the log in the page
    /// cache, and the first durable commit then writes all of it out while everyone waits; written out as it
    /// grows, most of it is on the disk by then. The log file is only opened and flushed, never written, and
    /// SQLite keeps no locks on it that closing another descriptor of it could drop.
    /// </summary>
    public static Task WriteOutAsync(string databasePath) => Task.Run(() =>
    {
        try
        {
            using var log = new FileStream(databasePath + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            log.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // No log (checkpointed and truncated meanwhile), or the disk failed: the durable commit finds out.
        }
        catch (UnauthorizedAccessException)
        {
            // A log another user owns: the durable commit writes it out itself.
        }
    });

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
