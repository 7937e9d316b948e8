using System.Runtime.InteropServices;
using SQLitePCL;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// The current row of a stepped statement, its columns read through e_sqlite3's own functions. SQLitePCLRaw's
/// column calls take the statement's SafeHandle, and counting references on it for every value of every
/// row was about a twentieth of an export's processor time; these calls are a few instructions each, so
/// they also skip the runtime's GC transition. Valid while its statement is alive and stands on the row.
/// </summary>
internal readonly unsafe partial struct SqliteRow(sqlite3_stmt statement)
{
    private const string Library = "e_sqlite3";
    private readonly nint _statement = statement.DangerousGetHandle();

    /// <summary>The value's bytes as SQLite holds them (UTF-8 for text); empty for NULL.</summary>
    public ReadOnlySpan<byte> Blob(int column)
    {
        // The pointer first, then the length: SQLite's documented order for a value it may convert.
        var value = sqlite3_column_blob(_statement, column);
        return value == 0 ? default : new ReadOnlySpan<byte>((void*)value, sqlite3_column_bytes(_statement, column));
    }

    public bool IsNull(int column) => sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public int Int32(int column) => sqlite3_column_int(_statement, column);

    [LibraryImport(Library), SuppressGCTransition]
    private static partial nint sqlite3_column_blob(nint statement, int column);

    [LibraryImport(Library), SuppressGCTransition]
    private static partial int sqlite3_column_bytes(nint statement, int column);

    [LibraryImport(Library), SuppressGCTransition]
    private static partial int sqlite3_column_type(nint statement, int column);

    [LibraryImport(Library), SuppressGCTransition]
    private static partial int sqlite3_column_int(nint statement, int column);
}
