using Microsoft.Data.Sqlite;

namespace ExportStudio.Tests.Data;

/// <summary>
/// The log written out to the disk while an import runs: SQLite's own files and locks are left exactly as
/// they were, which another process (the sqlite3 tool) shows.
/// </summary>
public sealed class WriteAheadLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Writing_the_log_out_changes_none_of_its_bytes_and_the_write_lock_stays_with_its_holder()
    {
        var path = _directory.Combine("log.db");
        using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        holder.Open();
        Execute(holder, null, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x); INSERT INTO t VALUES (randomblob(100000));");
        using var transaction = holder.BeginTransaction(deferred: false);
        Execute(holder, transaction, "INSERT INTO t VALUES (1);");
        var log = ReadShared(path + "-wal");

        await WriteAheadLog.WriteOutAsync(path);

        Assert.Equal(log, ReadShared(path + "-wal"));
        // Closing a descriptor of a file drops every POSIX lock this process holds on it: had the write-out
        // touched a file SQLite locks, another process would now get the write lock the holder still has.
        var other = await ExternalTool.RunAsync("sqlite3", ["-cmd", ".timeout 0", path, "BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT;"], allowFailure: true);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("locked", other.StandardError);
        transaction.Commit();
        var rows = await ExternalTool.RunAsync("sqlite3", [path, "SELECT count(*) FROM t;"]);
        Assert.Equal("2", rows.StandardOutput.Trim());
    }

    [Fact]
    public async Task Writing_out_a_log_that_is_not_there_does_nothing()
    {
        var path = _directory.Combine("none.db");

        await WriteAheadLog.WriteOutAsync(path);

        Assert.False(File.Exists(path + "-wal"));
        Assert.False(File.Exists(path));
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
