using ExportStudio.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ExportStudio.Core.Data;

/// <summary>
/// A database in the app's scratch space for the start-up warm-ups, deleted with its log when disposed.
/// It takes the app's own options on another file: EF Core keeps its model and compiled queries per set of
/// options, so only a context configured like the app's warms the queries the app will run.
/// </summary>
internal sealed class ScratchDatabase : IDisposable
{
    private readonly string _path;

    public ScratchDatabase(DbContextOptions<ExportStudioDbContext> appOptions, TempSpace temp, string name)
    {
        _path = temp.NewFilePath(name, ".db");
        var options = new DbContextOptionsBuilder<ExportStudioDbContext>(appOptions).UseSqlite(SqliteConnectionStrings.For(_path)).Options;
        Factory = new PooledDbContextFactory<ExportStudioDbContext>(options);
    }

    public IDbContextFactory<ExportStudioDbContext> Factory { get; }

    public void Dispose()
    {
        SqliteConnection.ClearPool(new SqliteConnection(SqliteConnectionStrings.For(_path)));
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
