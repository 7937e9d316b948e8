using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExportStudio.Core.Data;

/// <summary>A read-only snapshot over several queries (one export reading every format from the same data).</summary>
public static class SnapshotTransactions
{
    /// <summary>
    /// Begins a transaction that only reads. On SQLite it must be DEFERRED: the provider's default
    /// (BEGIN IMMEDIATE) would take the write lock for the whole export and block every job update.
    /// In WAL mode a deferred transaction reads one consistent snapshot while writers carry on.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginSnapshotAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (database.GetDbConnection() is SqliteConnection sqlite)
        {
            await database.OpenConnectionAsync(cancellationToken);
            var transaction = sqlite.BeginTransaction(deferred: true);
            return await database.UseTransactionAsync(transaction, cancellationToken) ?? throw new InvalidOperationException("The snapshot transaction was not accepted.");
        }
        return await database.BeginTransactionAsync(IsolationLevel.Snapshot, cancellationToken);
    }

    /// <summary>
    /// Begins a snapshot on each of <paramref name="databases"/>, all of one and the same moment, so that
    /// connections reading parts of one export see the same data. A deferred transaction on SQLite takes its
    /// snapshot at its first read, not at BEGIN; <paramref name="gate"/> holds the write lock (BEGIN IMMEDIATE)
    /// while every connection makes that first read, so no change can commit in between. Writers wait the
    /// few milliseconds this takes, as they wait for any other writer.
    /// </summary>
    public static async Task<List<IDbContextTransaction>> BeginSharedSnapshotAsync(IReadOnlyList<ExportStudioDbContext> contexts, ExportStudioDbContext gate, CancellationToken cancellationToken)
    {
        var snapshots = new List<IDbContextTransaction>(contexts.Count);
        try
        {
            await using (await gate.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var context in contexts)
                {
                    snapshots.Add(await context.Database.BeginSnapshotAsync(cancellationToken));
                    // Any read pins the snapshot.
                    await ChangeCounter.CurrentAsync(context, cancellationToken);
                }
            }
            return snapshots;
        }
        catch
        {
            foreach (var snapshot in snapshots)
            {
                await snapshot.DisposeAsync();
            }
            throw;
        }
    }
}
