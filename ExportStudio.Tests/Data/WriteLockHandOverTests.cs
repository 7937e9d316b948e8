using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace ExportStudio.Tests.Data;

/// <summary>The product's connections waiting for the write lock: behind a long writer that hands it over, and for their own timeout at most.</summary>
public sealed class WriteLockHandOverTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private PooledDbContextFactory<ExportStudioDbContext> _factory = null!;

    public async Task InitializeAsync()
    {
        _factory = new(new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(_directory.Combine("lock.db")).Options);
        await new DatabaseInitializer(_factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_writer_waiting_behind_a_long_writer_gets_the_lock_at_the_long_writers_next_commit()
    {
        using var stop = new CancellationTokenSource();
        var commits = 0;
        // The long writer commits and at once begins again, holding the lock all but microseconds,
        // as an import does; it hands the lock over when it sees a wait.
        var longWriter = Task.Factory.StartNew(() =>
        {
            using var db = _factory.CreateDbContext();
            db.Database.OpenConnection();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            while (!stop.IsCancellationRequested)
            {
                using (var transaction = connection.BeginTransaction(deferred: false))
                {
                    var opened = WriteLockHandOver.Now();
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "UPDATE Sessions SET Title = Title WHERE 0";
                    command.ExecuteNonQuery();
                    Thread.Sleep(50);
                    transaction.Commit();
                    Interlocked.Increment(ref commits);
                    if (WriteLockHandOver.WaitedSince(opened))
                    {
                        WriteLockHandOver.HandOver(TimeSpan.FromMilliseconds(250));
                    }
                }
            }
        }, TaskCreationOptions.LongRunning);
        while (Volatile.Read(ref commits) < 3)
        {
            await Task.Delay(10);
        }

        var before = Volatile.Read(ref commits);
        await using (var db = await _factory.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE Sessions SET Title = Title WHERE 0");
        }
        var waitedFor = Volatile.Read(ref commits) - before;
        await stop.CancelAsync();
        await longWriter;

        // Landing in the gaps by chance took dozens of the long writer's commits; the hand-over takes one.
        Assert.InRange(waitedFor, 0, 2);
    }

    [Fact]
    public async Task A_connection_waits_for_its_own_timeout_and_then_reports_the_database_busy()
    {
        using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _directory.Combine("lock.db"), Pooling = false }.ToString());
        holder.Open();
        using var hold = holder.BeginTransaction(deferred: false);
        await using var db = await _factory.CreateDbContextAsync();
        ((SqliteConnection)db.Database.GetDbConnection()).DefaultTimeout = 1;
        await db.Database.OpenConnectionAsync();

        var waited = Stopwatch.StartNew();
        var busy = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE Sessions SET Title = Title WHERE 0"));

        Assert.Equal(raw.SQLITE_BUSY, busy.SqliteErrorCode);
        Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }
}
