using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Importing;

/// <summary>The import service over the real database: it stages first, so it holds the write lock for a moment only, and a refused import leaves no trace.</summary>
public sealed class ImportServiceTests : IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 0, settings: new Dictionary<string, string?> { ["ExportStudio:MaxImportBytes"] = "4000000" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private ImportService Imports => _app.Services.GetRequiredService<ImportService>();

    private static async Task<byte[]> JsonLinesOfAsync(int sessions, int seed) =>
        await SampleDocuments.WriteAsync(ExportFormat.JsonLines, new ExportOptions(), new DemoDataGenerator(seed).Generate(sessions).ToList());

    [Fact]
    public async Task While_an_import_reads_its_file_other_writers_get_the_database_at_once()
    {
        var file = await JsonLinesOfAsync(300, seed: 11);
        var upload = new GatedStream(file, gateAt: file.Length / 2);

        var import = Imports.ImportAsync(upload);
        await upload.ReachedGate.WaitAsync(TimeSpan.FromSeconds(30));

        // Half the file is read and staged: a writer that will not wait must still get the lock.
        using (var writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _app.DatabasePath, Pooling = false, DefaultTimeout = 1 }.ToString()))
        {
            writer.Open();
            using var command = writer.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE; UPDATE Sessions SET Title = Title WHERE 0; COMMIT;";
            command.ExecuteNonQuery();
        }
        await using (var db = _app.CreateDbContext())
        {
            Assert.Equal(0, await db.Sessions.CountAsync()); // nothing applied before the whole file is read
        }

        upload.Open();
        var result = await import;
        Assert.Equal(300, result.Imported);
        await using var after = _app.CreateDbContext();
        Assert.Equal(300, await after.Sessions.CountAsync());
    }

    [Fact]
    public async Task A_bomb_refused_while_reading_leaves_the_database_and_its_log_as_they_were()
    {
        await Imports.ImportAsync(new MemoryStream(await JsonLinesOfAsync(20, seed: 12)));
        await WriteAheadLog.TruncateAsync(_app.Services.GetRequiredService<IDbContextFactory<ExportStudioDbContext>>());
        var before = (Database: new FileInfo(_app.DatabasePath).Length, Log: LogLength());
        using var bomb = new MemoryStream();
        await _app.Services.GetRequiredService<CompressionService>().CompressAsync(bomb, CompressionFormat.Zstd, 19,
            [new CompressionSource("bomb.jsonl", new MemoryStream(await JsonLinesOfAsync(2_500, seed: 13)))], DateTime.UtcNow);

        await Assert.ThrowsAsync<ImportTooLargeException>(() => Imports.ImportAsync(new MemoryStream(bomb.ToArray())));

        Assert.Equal(before, (new FileInfo(_app.DatabasePath).Length, LogLength()));
        await using var db = _app.CreateDbContext();
        Assert.Equal(20, await db.Sessions.CountAsync());
        Assert.Empty(Directory.EnumerateFiles(_app.TempDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_message_id_repeated_chunks_apart_in_one_file_is_named_with_its_owner_and_nothing_is_imported()
    {
        // Thousands of sessions: the repeat comes chunks after its first use, with both inside one open transaction.
        await using var app = new ExportStudioApp(demoSessions: 0);
        var imports = app.Services.GetRequiredService<ImportService>();
        var sessions = new DemoDataGenerator(seed: 14).Generate(3_000).ToList();
        var (owner, repeat) = (sessions[10], sessions[2_600]);
        repeat.Messages[0].Id = owner.Messages[0].Id;
        var file = await SampleDocuments.WriteAsync(ExportFormat.JsonLines, new ExportOptions(), sessions);

        var refused = await Assert.ThrowsAsync<ImportRejectedException>(() => imports.ImportAsync(new MemoryStream(file)));

        Assert.Contains($"Message id {owner.Messages[0].Id} in session {repeat.Id}", refused.Message);
        Assert.Contains($"already belongs to session {owner.Id}", refused.Message);
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(0, await db.Sessions.IgnoreQueryFilters().CountAsync());
            Assert.Equal(0, await db.Messages.CountAsync());
        }
        // The lock went with the refused import: the next one writes.
        repeat.Messages[0].Id = Guid.NewGuid();
        var result = await imports.ImportAsync(new MemoryStream(await SampleDocuments.WriteAsync(ExportFormat.JsonLines, new ExportOptions(), sessions)));
        Assert.Equal(3_000, result.Imported);
    }

    [Fact]
    public async Task The_import_heartbeat_leaves_what_the_log_holds_for_the_checkpoint_at_the_import_end()
    {
        var runs = _app.Services.GetRequiredService<ImportRunStore>();
        var run = await runs.StartAsync("this instance", TimeSpan.FromMinutes(1), CancellationToken.None);
        await WriteAheadLog.TruncateAsync(_app.Services.GetRequiredService<IDbContextFactory<ExportStudioDbContext>>());
        // Open throughout, as a running app's connections are: the last connection to close checkpoints the log
        // and deletes it (under a loaded test run the app's pooled connections were sometimes all closed),
        // which would leave nothing for the beat to copy or not.
        using var keeper = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _app.DatabasePath, Pooling = false }.ToString());
        keeper.Open();
        using (var read = keeper.CreateCommand())
        {
            // A connection takes its share of the log's index at its first read, not when it opens.
            read.CommandText = "SELECT count(*) FROM sqlite_master;";
            read.ExecuteScalar();
        }
        // What an import's chunks leave in the log: thousands of pages, more than SQLite's automatic checkpoint allows.
        using (var chunks = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _app.DatabasePath, Pooling = false }.ToString()))
        {
            chunks.Open();
            using var command = chunks.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint = 0; CREATE TABLE Chunks (Data BLOB); " +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) INSERT INTO Chunks SELECT randomblob((SELECT page_size FROM pragma_page_size()) - 200) FROM n;";
            command.ExecuteNonQuery();
        }
        var before = new FileInfo(_app.DatabasePath).Length;
        Assert.True(LogLength() > 1500L * ExportStudioSqlite.PageSize);

        Assert.True(await runs.RenewAsync(run, TimeSpan.FromMinutes(1), CancellationToken.None));

        // The beat's commit copied none of it into the database: no checkpoint ran.
        Assert.Equal(before, new FileInfo(_app.DatabasePath).Length);
        await using var db = _app.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        using var setting = connection.CreateCommand();
        setting.CommandText = "PRAGMA wal_autocheckpoint;";
        Assert.Equal(1000L, (long)setting.ExecuteScalar()!); // the pooled connection is back to the default
    }

    /// <summary>The import writes with foreign keys unchecked: no row it wrote lacks its parent, and a deletion takes a session's rows with it.</summary>
    [Fact]
    public async Task An_import_leaves_no_row_without_its_parent_and_deleting_an_imported_session_takes_its_messages()
    {
        var sessions = new DemoDataGenerator(seed: 15).Generate(400).ToList();
        await Imports.ImportAsync(new MemoryStream(await SampleDocuments.WriteAsync(ExportFormat.JsonLines, new ExportOptions(), sessions)));

        await using var db = _app.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        using (var check = db.Database.GetDbConnection().CreateCommand())
        {
            check.CommandText = "PRAGMA foreign_key_check;";
            using var orphans = await check.ExecuteReaderAsync();
            Assert.False(await orphans.ReadAsync(), "a row points at a parent the database does not hold");
        }
        Assert.True(await db.ToolCalls.AnyAsync());
        await db.Sessions.Where(s => s.Id == sessions[0].Id).ExecuteDeleteAsync();
        Assert.Equal(0, await db.Messages.CountAsync(m => m.SessionId == sessions[0].Id));
        Assert.Equal(sessions.Skip(1).Sum(s => s.Messages.Count), await db.Messages.CountAsync());
    }

    private long LogLength() => File.Exists(_app.DatabasePath + "-wal") ? new FileInfo(_app.DatabasePath + "-wal").Length : 0;
}
