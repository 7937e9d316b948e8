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
}
