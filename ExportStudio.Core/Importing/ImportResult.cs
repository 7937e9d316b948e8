namespace ExportStudio.Core.Importing;

/// <summary>
/// What an import did: sessions added, sessions replaced by a newer version, sessions skipped (the database
/// had them at the same or a newer version), the messages of the sessions written, and what was read;
/// in replicate mode, the sessions deleted because an incremental export listed them.
/// </summary>
public sealed record ImportResult(int Imported, int Updated, int Skipped, int Messages, IReadOnlyList<string> Entries, string DetectedFormat, int Deleted = 0);
