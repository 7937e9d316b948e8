using Microsoft.Data.Sqlite;

namespace ExportStudio.Core.Data;

public static class SqliteConnectionStrings
{
    /// <summary>The connection string every part of the product uses for a database file.</summary>
    public static string For(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        ForeignKeys = true,
        Pooling = true,
        // Seconds a command waits on a locked database before failing: writers are short, so waiting beats failing.
        DefaultTimeout = 30,
    }.ToString();
}
